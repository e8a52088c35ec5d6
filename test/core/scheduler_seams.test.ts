// The seams an outside driver (a simulator) uses: the next-task choice, drain scheduling and
// tick, the probe, the clock, and the scheduler config.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Runtime, sleep, spawn, yieldNow, type Gen } from '../../src/index.js';
import { NoopProbe } from '../../src/runtime/probe.js';
import { context } from '../../src/runtime/context.js';
import { realClock, type Clock } from '../../src/runtime/clock.js';
import { DEFAULT_SCHEDULER_CONFIG, schedulerConfig } from '../../src/runtime/scheduler/config.js';
import type { Task } from '../../src/runtime/task/task.js';

function* record(log: string[], name: string): Gen<void> {
  log.push(name);
}

test('the next-task choice is one function: LIFO reverses the order, FIFO is the default', async () => {
  const order = async (choose: boolean): Promise<string[]> => {
    const rt = new Runtime();
    if (choose) rt.executor.nextTask = (q) => q.takeAt(q.length - 1);
    const log: string[] = [];
    await rt.blockOn(function* main(): Gen<void> {
      const hs = ['a', 'b', 'c', 'd'].map((n) => spawn(record, log, n));
      for (const h of hs) yield* h;
    });
    await rt.shutdown();
    return log;
  };
  assert.deepEqual(await order(false), ['a', 'b', 'c', 'd']);
  assert.deepEqual(await order(true), ['d', 'c', 'b', 'a']);
});

test('drain scheduling and tick: an outside driver owns when the executor runs', async () => {
  const rt = new Runtime();
  const ex = rt.executor;
  let wanted = 0;
  ex.drainScheduling = { soon: () => { wanted++; }, later: () => { wanted++; } };
  const log: string[] = [];
  const h = rt.spawn(function* counter(): Gen<number> {
    for (let i = 0; i < 5; i++) {
      log.push(`step ${i}`);
      yield* yieldNow();
    }
    return 5;
  });
  assert.equal(wanted, 1, 'the spawn asked for a drain');
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(log, [], 'nothing runs until the driver ticks');
  assert.equal(ex.tick(1), true, 'one poll, work remains');
  assert.deepEqual(log, ['step 0']);
  while (ex.tick(2)) { /* drive to quiescence */ }
  assert.ok(h.isFinished());
  assert.equal(log.length, 5);
  assert.equal(ex.tick(10), false);
  ex.drainScheduling = { soon: (d) => queueMicrotask(d), later: (d) => setImmediate(d) };
  await rt.shutdown();
});

test('a probe sees spawn, wakes, bracketed polls and completion; without one nothing is timed', async () => {
  class Recorder extends NoopProbe {
    events: string[] = [];
    override onSpawn(t: Task<unknown>): void { this.events.push(`spawn ${t.name}`); }
    override onWake(t: Task<unknown>): void { this.events.push(`wake ${t.name}`); }
    override beforePoll(t: Task<unknown>): void { this.events.push(`poll ${t.name}`); }
    override afterPoll(t: Task<unknown>, _slot: number, ms: number): void { this.events.push(`polled ${t.name} ${ms >= 0}`); }
    override onComplete(t: Task<unknown>): void { this.events.push(`done ${t.name}`); }
  }
  const rt = new Runtime();
  assert.equal(rt.executor.probe, null);
  const p = new Recorder();
  rt.executor.setProbe(p);
  await rt.blockOn(function* root(): Gen<void> { yield* yieldNow(); });
  assert.deepEqual(p.events, ['spawn root', 'poll root', 'wake root', 'polled root true', 'poll root', 'done root', 'polled root true']);
  assert.equal(rt.executor.setProbe(null), p);
  await rt.shutdown();
});

test('the clock is read through the context: a virtual clock drives the timers of a new runtime', async () => {
  let t = 1000;
  const armed: { fn: () => void; at: number; off: boolean }[] = [];
  const virtual: Clock = {
    now: () => t,
    setTimer: (fn, ms) => {
      const e = { fn, at: t + ms, off: false };
      armed.push(e);
      return { ref: () => e, unref: () => e };
    },
    clearTimer: (h) => { for (const e of armed) if ((h as { ref(): unknown }).ref() === e) e.off = true; },
  };
  const prev = context.clock;
  context.clock = virtual;
  let rt: Runtime;
  try {
    rt = new Runtime();
  } finally {
    context.clock = prev;
  }
  let done = false;
  const p = rt.blockOn(function* sleeper(): Gen<void> { yield* sleep(10_000); done = true; });
  await new Promise((r) => setImmediate(r));
  assert.equal(done, false);
  assert.ok(armed.length > 0, 'the sleep armed a timer on the virtual clock');
  // Ten virtual seconds pass at once.
  while (!done) {
    const next = armed.filter((e) => !e.off).sort((a, b) => a.at - b.at)[0];
    assert.ok(next !== undefined);
    next.off = true;
    t = Math.max(t, next.at);
    next.fn();
    await new Promise((r) => setImmediate(r));
  }
  await p;
  assert.ok(t >= 11_000);
  assert.equal(context.clock, realClock);
  await rt.shutdown();
});

test('scheduler config: defaults frozen, partial completed, bad knobs named', () => {
  assert.ok(Object.isFrozen(DEFAULT_SCHEDULER_CONFIG));
  assert.equal(schedulerConfig({ budget: 7 }).budget, 7);
  assert.equal(schedulerConfig({}).eventInterval, 61);
  assert.throws(() => schedulerConfig({ budget: 0 }), /budget must be a positive integer/);
  assert.throws(() => schedulerConfig({ bogus: 1 } as never), /unknown scheduler option "bogus"/);
  assert.throws(() => new Runtime({ scheduler: { maxLifoPolls: 1.5 } }), /maxLifoPolls/);
});

test('the coop budget comes from the scheduler config', async () => {
  const rt = new Runtime({ scheduler: { budget: 4 } });
  const { pollProceed } = await import('../../src/runtime/coop.js');
  const spent = await rt.blockOn(function* main(): Gen<number> {
    yield* yieldNow();
    let n = 0;
    const cx = context.task!;
    while (pollProceed(cx)) n++;
    return n;
  });
  assert.equal(spent, 4);
  await rt.shutdown();
});
