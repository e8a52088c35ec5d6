// Far deadlines cost O(levels) slot visits, paused or not (a paused sleep(1e300) used to re-file
// its entry every 2^36 ms of wheel time, in a synchronous loop without end).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Runtime, sleep, time, Instant, Pending, contextFromWaker, noopWaker } from '../../src/index.js';
import { timeDriver } from '../../src/runtime/time/driver.js';

test('paused clock: sleep(2^50) auto-advances in a few slot visits, in deadline order with nearer timers', async () => {
  const rt = new Runtime({ startPaused: true });
  const order: string[] = [];
  const start = await rt.blockOn(function* () {
    return Instant.now();
  });
  await rt.blockOn(function* () {
    const far = rt.spawn(function* () {
      yield* sleep(2 ** 50);
      order.push('far');
    });
    const near = rt.spawn(function* () {
      yield* sleep(3 * 2 ** 36 + 5);
      order.push('near');
    });
    yield* far;
    yield* near;
  });
  const w = timeDriver(rt).wheel;
  assert.deepEqual(order, ['near', 'far']);
  assert.ok(w.visits < 40, `slot visits ${w.visits}`);
  const waited = await rt.blockOn(function* () {
    return Instant.now().durationSince(start);
  });
  assert.ok(waited >= 2 ** 50, `the clock moved to the far deadline (${waited})`);
  await rt.shutdown();
});

test('time.advance far past a far deadline fires it in a few slot visits', async () => {
  const rt = new Runtime({ startPaused: true });
  const cx = contextFromWaker(noopWaker());
  await rt.blockOn(function* () {
    const s = sleep(2 ** 48);
    assert.equal(s.poll(cx), Pending);
    yield* time.advance(2 ** 49);
    assert.equal(s.poll(cx), undefined);
  });
  assert.ok(timeDriver(rt).wheel.visits < 40, `slot visits ${timeDriver(rt).wheel.visits}`);
  await rt.shutdown();
});

test('running clock: a far deadline is armed and cancelled without re-filing loops', async () => {
  const rt = new Runtime();
  const cx = contextFromWaker(noopWaker());
  await rt.blockOn(function* () {
    const s = sleep(Number.MAX_VALUE);
    assert.equal(s.poll(cx), Pending);
    yield* sleep(2);
    s.drop();
  });
  assert.ok(timeDriver(rt).wheel.visits < 40);
  await rt.shutdown();
});

test('paused clock: sleep(1e300) and sleep(Number.MAX_VALUE) finish (in a child process, bounded)', () => {
  const index = fileURLToPath(new URL('../../src/index.js', import.meta.url));
  const script = `
    const { Runtime, sleep } = await import(${JSON.stringify(index)});
    const rt = new Runtime({ startPaused: true });
    await rt.blockOn(function* () { yield* sleep(1e300); yield* sleep(Number.MAX_VALUE); });
    await rt.shutdown();
    console.log('done');
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { timeout: 20_000, encoding: 'utf8' });
  assert.equal(r.signal, null, 'the far sleeps did not finish within the bound');
  assert.equal(r.stdout.trim(), 'done', r.stderr);
});
