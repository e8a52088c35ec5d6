import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  run,
  spawn,
  ready,
  pending,
  yieldNow,
  future,
  join,
  tryJoin,
  race,
  select,
  byRef,
  NoBranchesError,
  NotAFutureError,
  type Future,
  type Gen,
} from '../../src/index.js';
import { AfterPolls, Gate } from './helpers.js';

function* after(n: number, v: string, log: string[]) {
  try {
    for (let i = 0; i < n; i++) yield* yieldNow();
    log.push(`done ${v}`);
    return v;
  } finally {
    log.push(`finally ${v}`);
  }
}

function* boom(n: number, msg: string) {
  for (let i = 0; i < n; i++) yield* yieldNow();
  throw new Error(msg);
}

test('join gives a typed tuple in argument order, whatever the completion order', async () => {
  const log: string[] = [];
  const out = await run(function* () {
    const r = yield* join(after(3, 'slow', log), ready(7), after(1, 'fast', log));
    const [a, b, c]: [string, number, string] = r;
    return [a, b, c];
  });
  assert.deepEqual(out, ['slow', 7, 'fast']);
  assert.deepEqual(log, ['done fast', 'finally fast', 'done slow', 'finally slow']);
});

test('join() of nothing is an empty tuple; join accepts generator objects and futures', async () => {
  const out = await run(function* () {
    const e = yield* join();
    const g = yield* join(future(after, 0, 'x', []));
    return [e, g];
  });
  assert.deepEqual(out, [[], ['x']]);
});

test('join waits for every branch even when one throws, then throws that error', async () => {
  const log: string[] = [];
  const err = await run(function* () {
    try {
      yield* join(boom(1, 'bad'), after(4, 'ok', log));
      return null;
    } catch (e) {
      return e;
    }
  });
  assert.equal((err as Error).message, 'bad');
  assert.deepEqual(log, ['done ok', 'finally ok'], 'the other branch ran to completion');
});

test('join with several failures throws an AggregateError in failure order', async () => {
  const err = await run(function* () {
    try {
      yield* join(boom(3, 'late'), boom(1, 'early'), ready(1));
      return null;
    } catch (e) {
      return e;
    }
  });
  assert.ok(err instanceof AggregateError);
  assert.deepEqual(
    (err as AggregateError).errors.map((e: Error) => e.message),
    ['early', 'late'],
  );
});

test('tryJoin: the first error drops the others (their finally runs) and is thrown at once', async () => {
  const log: string[] = [];
  const err = await run(function* () {
    try {
      yield* tryJoin(after(10, 'a', log), boom(2, 'first'), after(20, 'b', log));
      return null;
    } catch (e) {
      log.push('caught');
      return e;
    }
  });
  assert.equal((err as Error).message, 'first');
  assert.deepEqual(log, ['finally a', 'finally b', 'caught']);
});

test('tryJoin succeeds with the typed tuple when nothing fails', async () => {
  const out = await run(function* () {
    const [a, b] = yield* tryJoin(ready(1), future(after, 2, 'z', []));
    return a + b.length;
  });
  assert.equal(out, 2);
});

test('race: the first to finish wins, losers are dropped and their finally ran before it returns', async () => {
  const log: string[] = [];
  const out = await run(function* () {
    const v = yield* race(after(5, 'slow', log), after(2, 'quick', log), after(9, 'slower', log));
    log.push(`won ${v}`);
    return v;
  });
  assert.equal(out, 'quick');
  assert.deepEqual(log, ['done quick', 'finally quick', 'finally slow', 'finally slower', 'won quick']);
});

test('race: ties go to the earliest argument; an error wins if it comes first', async () => {
  const out = await run(function* () {
    const a = yield* race(ready('first'), ready('second'));
    let err: unknown = null;
    try {
      yield* race(boom(0, 'x'), pending<string>());
    } catch (e) {
      err = e;
    }
    return [a, (err as Error).message];
  });
  assert.deepEqual(out, ['first', 'x']);
});

test('race() and select({}) with no branch throw NoBranchesError', () => {
  assert.throws(() => race(), NoBranchesError);
  assert.throws(() => select({}), NoBranchesError);
});

test('non-futures are rejected with NotAFutureError naming the argument', () => {
  assert.throws(() => join(ready(1), 42 as unknown as Future<number>), (e: unknown) => {
    return e instanceof NotAFutureError && /argument 1/.test(e.message) && /number 42/.test(e.message);
  });
  assert.throws(() => select({ a: Promise.resolve(1) as unknown as Future<number> }), /branch 'a'.*Promise/);
  assert.throws(() => race(after as unknown as Future<string>), /function after/);
});

test('select gives a typed { key, value } union and drops the losers', async () => {
  const g = new Gate<number>();
  const log: string[] = [];
  const out = await run(function* () {
    const r = yield* select({ num: g, str: after(2, 's', log) });
    if (r.key === 'num') {
      const n: number = r.value;
      return n;
    }
    const s: string = r.value;
    return s;
  });
  assert.equal(out, 's');
  assert.equal(g.drops, 1, 'the losing branch was dropped');
});

test('select biased polls in written order; unbiased starts at random branches', async () => {
  const out = await run(function* () {
    const picks = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const r = yield* select({ a: ready(1), b: ready(2), c: ready(3) });
      picks.add(r.key);
    }
    const biased: string[] = [];
    for (let i = 0; i < 20; i++) biased.push((yield* select({ a: ready(1), b: ready(2) }, { biased: true })).key);
    return { picks: [...picks].sort(), biased: [...new Set(biased)] };
  });
  assert.deepEqual(out.picks, ['a', 'b', 'c'], 'every branch gets picked when all are ready');
  assert.deepEqual(out.biased, ['a']);
});

test('select rethrows a branch error and drops the rest', async () => {
  const g = new Gate();
  const err = await run(function* () {
    try {
      yield* select({ bad: boom(1, 'nope'), wait: g });
    } catch (e) {
      return e;
    }
    return null;
  });
  assert.equal((err as Error).message, 'nope');
  assert.equal(g.drops, 1);
});

test('byRef keeps a future alive across select iterations', async () => {
  const deadline = new AfterPolls(6, 'deadline');
  const out = await run(function* () {
    let ticks = 0;
    for (;;) {
      const r = yield* select({ tick: yieldNow(), deadline: byRef(deadline) }, { biased: true });
      if (r.key === 'deadline') return ticks;
      ticks++;
    }
  });
  assert.equal(deadline.dropped, false);
  assert.ok(out > 0 && deadline.count === 6);
});

test('dropping a pending join/race/select drops every child once', async () => {
  const gates = [new Gate(), new Gate(), new Gate(), new Gate(), new Gate(), new Gate()];
  const [g0, g1, g2, g3, g4, g5] = gates as [Gate, Gate, Gate, Gate, Gate, Gate];
  await run(function* () {
    const j = join(g0, g1);
    const r = race(g2, g3);
    const s = select({ a: g4, b: g5 });
    yield* race(j, r, s, ready('x'));
  });
  for (const g of gates) assert.equal(g.drops, 1);
});

test('property: join returns every value in order; race returns the fastest (ties: first)', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.nat(6), { minLength: 1, maxLength: 8 }), async (delays) => {
      const out = await run(function* () {
        const j = yield* join(...delays.map((d, i) => new AfterPolls(d, i)));
        const futs = delays.map((d, i) => new AfterPolls(d, i));
        const r = yield* race(...futs);
        return { j, r, dropped: futs.map((f) => f.dropped) };
      });
      assert.deepEqual(out.j, delays.map((_, i) => i));
      const min = Math.min(...delays);
      assert.equal(out.r, delays.indexOf(min));
      out.dropped.forEach((d, i) => assert.equal(d, i !== out.r));
    }),
    { numRuns: 60 },
  );
});

function* throwsOnDrop(tag: string, log: string[]): Gen<string> {
  try {
    yield* pending();
    return tag;
  } finally {
    log.push(`cleanup ${tag}`);
    // eslint-disable-next-line no-unsafe-finally
    throw new Error(`cleanup ${tag} failed`);
  }
}

test('a loser whose cleanup throws: every other loser is still dropped, and the cleanup error is thrown', async () => {
  const log: string[] = [];
  const err = await run(function* () {
    try {
      yield* race(throwsOnDrop('a', log), after(1, 'win', log), after(5, 'b', log));
      return null;
    } catch (e) {
      return e;
    }
  });
  assert.equal((err as Error).message, 'cleanup a failed');
  assert.ok(log.includes('cleanup a') && log.includes('finally b'));
});

test('tryJoin: the first branch error wins over a cleanup error', async () => {
  const log: string[] = [];
  const err = await run(function* () {
    try {
      yield* tryJoin(throwsOnDrop('a', log), boom(1, 'first'), after(5, 'b', log));
      return null;
    } catch (e) {
      return e;
    }
  });
  assert.equal((err as Error).message, 'first');
  assert.ok(log.includes('cleanup a') && log.includes('finally b'));
});

test('a large join polls only the children that were woken', async () => {
  const gates = Array.from({ length: 10 }, (_, i) => new Gate<number>(`g${i}`));
  const out = await run(function* () {
    const j = spawn(join(...gates));
    yield* yieldNow();
    const first = gates.map((g) => g.polls);
    (gates[3] as Gate<number>).open(3);
    yield* yieldNow();
    const second = gates.map((g) => g.polls);
    gates.forEach((g, i) => {
      if (i !== 3) g.open(i);
    });
    const v = yield* j;
    return { first, second, v };
  });
  assert.deepEqual(out.first, Array(10).fill(1));
  assert.deepEqual(out.second, out.first.map((n, i) => (i === 3 ? n + 1 : n)));
  assert.deepEqual(out.v, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});
