/**
 * Type-level checks: this file only compiles if the public types are as documented (each
 * `@ts-expect-error` must be an error), and the test then runs the same code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { run, ready, join, tryJoin, race, select, JoinSet, scope, taskLocal, shield, type Gen } from '../../src/index.js';

function* num(n: number): Gen<number> {
  yield* ready(0);
  return n;
}
function* str(s: string): Gen<string> {
  yield* ready(0);
  return s;
}

test('public types: tuples, unions, narrowing, JoinSet output checks', async () => {
  const out = await run(function* () {
    const [a, b, c]: [number, string, boolean] = yield* join(num(1), str('x'), ready(true));
    const [d, e]: [number, string] = yield* tryJoin(ready(2), str('y'));
    const r: number | string = yield* race(num(3), str('z'));
    // @ts-expect-error race of number | string is not a number
    const bad: number = yield* race(num(3), str('z'));
    void bad;
    const s = yield* select({ n: num(4), s: str('w') }, { biased: true });
    let narrowed: number | undefined;
    if (s.key === 'n') narrowed = s.value; // value: number here
    // @ts-expect-error an unknown key is not a member of the union
    if (s.key === 'nope') void 0;

    const set = new JoinSet<number>();
    set.spawn(num, 5);
    // @ts-expect-error a body giving string does not fit JoinSet<number>
    set.spawn(str, 'no');
    // @ts-expect-error wrong argument type
    set.spawn(num, 'five');
    const j: number | undefined = yield* set.joinNext();

    const sc: string = yield* scope(function* (sp) {
      const h = sp.spawn(num, 6);
      const v: number = yield* h;
      return `v${v}`;
    });
    const L = taskLocal<number>('L');
    const lv: number = yield* L.scope(7, num(7));
    const sh: string = yield* shield(str('sh'));
    yield* set.shutdown();
    return [a, b, c, d, e, r, narrowed, j, sc, lv, sh];
  });
  assert.deepEqual(out, [1, 'x', true, 2, 'y', 3, 4, 5, 'v6', 7, 'sh']);
});
