import { test } from 'node:test';
import assert from 'node:assert/strict';
import { run, sleep, timeout, interval, Instant, Elapsed, future, type Gen } from '../../src/index.js';

test('docs/time.md: the retry back-off example gives exact virtual times', async () => {
  const at: number[] = [];
  await run(
    function* main() {
      const t0 = Instant.now();
      for (let i = 0; i < 3; i++) {
        yield* sleep(1000 * 2 ** i);
        at.push(t0.elapsed());
      }
    },
    { startPaused: true },
  );
  assert.deepEqual(at, [1000, 3000, 7000]);
});

test('docs/time.md: the opening example runs as described', async () => {
  function* fetchUser(id: number): Gen<{ id: number }> {
    yield* sleep(50);
    return { id };
  }
  const out = await run(
    function* main() {
      const t0 = Instant.now();
      yield* sleep(100);
      const user = yield* timeout(1000, future(fetchUser, 7));
      let elapsed = false;
      try {
        yield* timeout(10, fetchUser(8));
      } catch (e) {
        if (!(e instanceof Elapsed)) throw e;
        elapsed = true;
      }
      using iv = interval(250, { missedTickBehavior: 'skip' });
      for (let i = 0; i < 3; i++) yield* iv.tick();
      return { user, elapsed, ms: t0.elapsed() };
    },
    { startPaused: true },
  );
  assert.deepEqual(out, { user: { id: 7 }, elapsed: true, ms: 100 + 50 + 10 + 500 });
});
