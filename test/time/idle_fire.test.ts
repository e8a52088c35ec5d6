// The time driver's idle firing (src/runtime/time/driver.ts, `fireOnIdle`): when the executor
// runs out of ready tasks and the armed tick has started, the wheel is processed then, without
// waiting for the Node timer; never before the tick, and the Node timer is re-armed for what is left.
// Driven by an injected clock: no real waiting, no timing assertions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sleep, type Gen } from '../../src/index.js';
import { fireHost, live, turn, virtualRuntime } from './host_clock.js';

function* sleeper(ms: number, done: number[], i: number): Gen<void> {
  yield* sleep(ms);
  done.push(i);
}

/** A task that does nothing: something else (a socket, say) woke the executor. */
function* other(): Gen<void> {}

test('a timer whose tick has started fires when the executor next goes idle, before the Node timer comes', async () => {
  const v = virtualRuntime(200.3, 0);
  const done: number[] = [];
  v.rt.spawn(sleeper, 1, done, 0); // due at 201
  v.rt.spawn(sleeper, 3, done, 1); // due at 203
  await turn();
  assert.deepEqual(live(v.timers).map((h) => h.ms), [1]);
  // Other work before the tick: nothing fires early.
  v.set(200.99);
  v.rt.spawn(other);
  await turn();
  assert.deepEqual(done, []);
  // Other work once the tick has started: the first sleep fires with no Node timer.
  v.set(201.02);
  v.rt.spawn(other);
  await turn();
  await turn();
  assert.deepEqual(done, [0], 'fired at the idle after 201');
  assert.equal(v.rt.metrics()['timerIdleFires'], 1);
  assert.equal(v.rt.metrics()['timerDriverWakeups'], 0, 'the Node timer has not come');
  assert.deepEqual(live(v.timers).map((h) => h.ms), [2], 'the Node timer re-armed for what is left: 201.02 -> 203');
  v.set(203);
  fireHost(v.timers);
  await turn();
  assert.deepEqual(done, [0, 1]);
  await v.rt.shutdown();
});

test('idle firing polls the wheel at most once per tick, and not while no Node timer is armed', async () => {
  const v = virtualRuntime(50.5, 0);
  const done: number[] = [];
  v.rt.spawn(sleeper, 10, done, 0); // due at 60
  await turn();
  v.set(51.1);
  for (let i = 0; i < 5; i++) {
    v.rt.spawn(other);
    await turn();
  }
  // The Node timer is armed for 60 (a level-0 slot): idle turns before it fire nothing.
  assert.equal(v.rt.metrics()['timerIdleFires'], 0);
  v.set(60.4);
  for (let i = 0; i < 5; i++) {
    v.rt.spawn(other);
    await turn();
  }
  assert.deepEqual(done, [0]);
  assert.equal(v.rt.metrics()['timerIdleFires'], 1, 'five idle turns in tick 60, one wheel poll');
  assert.equal(live(v.timers).length, 0, 'nothing left: the Node timer is disarmed');
  v.set(70);
  v.rt.spawn(other);
  await turn();
  assert.equal(v.rt.metrics()['timerIdleFires'], 1, 'no Node timer armed: no clock read, no poll');
  await v.rt.shutdown();
});
