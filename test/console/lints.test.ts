import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Runtime, startConsole, yieldNow, JoinError, mpsc, SendError, type Lint, type LintOptions } from '../../src/index.js';
import { DemoQueue, ForgetfulFuture, Parked } from './demo_app.js';

async function withConsole(opts: LintOptions, body: (rt: Runtime) => Promise<void>): Promise<void> {
  const rt = new Runtime({ onUnhandledTaskError: () => {} });
  startConsole(rt, { port: 0, ...opts });
  try {
    await body(rt);
  } finally {
    await rt.shutdown();
  }
}

const turn = (): Promise<void> => new Promise((r) => setTimeout(r, 5));
const kinds = (ls: Lint[]): string[] => ls.map((l) => l.kind);

function* busyPoll(ms: number) {
  const t = performance.now();
  while (performance.now() - t < ms) {
    /* blocks the executor */
  }
  yield* yieldNow();
  return 1;
}

function* lightWork(n: number) {
  let s = 0;
  for (let i = 0; i < n; i++) {
    s += i;
    yield* yieldNow();
  }
  return s;
}

test('blocking poll: names the task, its location and duration, and suggests spawnBlocking', async () => {
  await withConsole({}, async (rt) => {
    await rt.blockOn(busyPoll, 30);
    const l = rt.lints().find((x) => x.kind === 'blocking-poll');
    assert.ok(l, `blocking-poll lint in ${kinds(rt.lints()).join(',')}`);
    assert.equal(l.taskName, 'busyPoll');
    assert.match(l.location, /lints\.test\.ts:\d+:\d+/);
    assert.ok(l.value >= 30, `duration ${l.value}`);
    assert.match(l.message, /busyPoll .*blocked the executor for \d+ ms in one poll; move .* to spawnBlocking/);
    assert.ok(!kinds(rt.lints()).includes('never-yielded'), 'a 30 ms poll is not "never yielded" at the 1 s default');
  });
});

test('blocking poll: healthy short polls are not flagged', async () => {
  // Wall-clock thresholds can be crossed when the OS preempts the process on a loaded machine;
  // a healthy program gets a clean run in one of three tries, a blocking one never does.
  let clean = false;
  for (let attempt = 0; attempt < 3 && !clean; attempt++) {
    await withConsole({}, async (rt) => {
      await rt.blockOn(lightWork, 50);
      clean = !kinds(rt.lints()).includes('blocking-poll');
    });
  }
  assert.ok(clean, 'no blocking-poll lint for short polls');
});

test('never yielded: a poll past the threshold is flagged when it ends', async () => {
  await withConsole({ neverYieldedMs: 40 }, async (rt) => {
    await rt.blockOn(busyPoll, 60);
    const l = rt.lints().find((x) => x.kind === 'never-yielded');
    assert.ok(l);
    assert.equal(l.taskName, 'busyPoll');
    assert.match(l.message, /ran \d+ ms without yielding/);
  });
  await withConsole({ neverYieldedMs: 200 }, async (rt) => {
    await rt.blockOn(busyPoll, 20);
    assert.ok(!kinds(rt.lints()).includes('never-yielded'));
  });
});

function* forgetful() {
  yield* new ForgetfulFuture();
}

function* waitParked(p: Parked) {
  yield* p;
  return 'woken';
}

test('lost waker: a task pending on a future that never read its waker', async () => {
  await withConsole({}, async (rt) => {
    const h = rt.spawn(forgetful);
    const ok = rt.spawn(waitParked, new Parked('Recv', 'a message'));
    await turn();
    const lost = rt.lints().filter((x) => x.kind === 'lost-waker');
    assert.equal(lost.length, 1);
    assert.equal(lost[0]!.taskId, h.id);
    assert.equal(lost[0]!.severity, 'error');
    assert.match(lost[0]!.message, /without reading or cloning its waker/);
    assert.ok(!lost.some((l) => l.taskId === ok.id), 'a task that stored its waker is healthy');
  });
});

test('lost waker is reported by rt.lints() even without the console', async () => {
  const rt = new Runtime();
  const h = rt.spawn(forgetful);
  await turn();
  assert.deepEqual(rt.lints().map((l) => [l.kind, l.taskId]), [['lost-waker', h.id]]);
  await rt.shutdown();
});

function* selfWaker(n: number, p: Parked) {
  for (let i = 0; i < n; i++) yield* yieldNow();
  yield* p;
}

function* pinger(peer: { waker: (() => void) | null; turns: number }, n: number) {
  for (let i = 0; i < n; i++) {
    peer.turns++;
    peer.waker?.();
    yield* yieldNow();
  }
}

function* woken(p: Parked[]) {
  for (const x of p) yield* x;
  return p.length;
}

test('self-wakes: over half of the wakes are the task waking itself', async () => {
  await withConsole({}, async (rt) => {
    const spin = rt.spawn(selfWaker, 10, new Parked('Recv', ''));
    // Healthy: woken only by others.
    const ps = Array.from({ length: 8 }, () => new Parked('Recv', ''));
    const healthy = rt.spawn(woken, ps);
    await turn();
    for (const p of ps) {
      p.release();
      await turn();
    }
    assert.equal(await healthy, 8);
    const l = rt.lints().filter((x) => x.kind === 'self-wakes');
    assert.equal(l.length, 1);
    assert.equal(l[0]!.taskId, spin.id);
    assert.equal(l[0]!.value, 100);
    assert.match(l[0]!.message, /woke itself in 100% of its 10 wakes/);
  });
  void pinger;
});

function* explode(): Generator<never, never, unknown> {
  throw new Error('disk full');
}

function* awaitsFailure() {
  try {
    yield* rtSpawn(explode);
  } catch (e) {
    return e instanceof JoinError && e.isPanic();
  }
  return false;
}
let rtSpawn: (b: typeof explode) => ReturnType<Runtime['spawn']>;

test('unawaited failure: a failed task whose JoinHandle nobody awaited', async () => {
  await withConsole({}, async (rt) => {
    const h = rt.spawn(explode);
    await new Promise((r) => setImmediate(r));
    await turn();
    const l = rt.lints().find((x) => x.kind === 'unawaited-failure');
    assert.ok(l);
    assert.equal(l.taskId, h.id);
    assert.match(l.message, /failed \(Error: disk full\) and nobody awaited its JoinHandle/);
  });
  await withConsole({}, async (rt) => {
    rtSpawn = (b) => rt.spawn(b);
    assert.equal(await rt.blockOn(awaitsFailure), true);
    await turn();
    assert.ok(!kinds(rt.lints()).includes('unawaited-failure'), 'an awaited failure is not lost');
  });
});

function* sendLoop(q: DemoQueue, n: number) {
  for (let i = 0; i < n; i++) {
    q.send();
    yield* yieldNow();
  }
}

test('channel without receivers: senders keep sending after every receiver is gone', async () => {
  await withConsole({}, async (rt) => {
    const dead = new DemoQueue('events');
    dead.receivers = 0;
    await rt.blockOn(sendLoop, dead, 3);
    const l = rt.lints().filter((x) => x.kind === 'channel-no-receivers');
    assert.equal(l.length, 1);
    assert.equal(l[0]!.taskName, 'sendLoop');
    assert.equal(l[0]!.value, 3);
    assert.match(l[0]!.message, /mpsc channel events .* has no receivers left, yet 3 sends were attempted/);
  });
  await withConsole({}, async (rt) => {
    const live = new DemoQueue('jobs');
    await rt.blockOn(sendLoop, live, 5);
    const once = new DemoQueue('once');
    once.receivers = 0;
    await rt.blockOn(sendLoop, once, 1); // a single failed send (e.g. at shutdown) is not flagged
    assert.ok(!kinds(rt.lints()).includes('channel-no-receivers'));
  });
});

function* stubbornProducer(tx: mpsc.UnboundedSender<number>, n: number) {
  let failed = 0;
  for (let i = 0; i < n; i++) {
    try {
      tx.send(i);
    } catch (e) {
      if (e instanceof SendError) failed++;
    }
    yield* yieldNow();
  }
  return failed;
}

test('channel without receivers: kyoto mpsc reports through the hook', async () => {
  await withConsole({}, async (rt) => {
    const [tx, rx] = mpsc.unbounded<number>();
    rx.close();
    assert.equal(await rt.blockOn(stubbornProducer, tx, 4), 4);
    const l = rt.lints().find((x) => x.kind === 'channel-no-receivers');
    assert.ok(l, kinds(rt.lints()).join(','));
    assert.equal(l.taskName, 'stubbornProducer');
    assert.match(l.message, /^mpsc channel unbounded .* 4 sends were attempted/);
    const [tx2, rx2] = mpsc.unbounded<number>();
    assert.equal(await rt.blockOn(stubbornProducer, tx2, 4), 0, 'a live receiver');
    rx2.close();
    assert.equal(rt.lints().filter((x) => x.kind === 'channel-no-receivers').length, 1);
  });
});

test('lint options are validated', () => {
  const rt = new Runtime();
  assert.throws(() => startConsole(rt, { port: 0, blockingPollMs: -1 }), /blockingPollMs must be a finite number >= 0, got -1/);
  assert.throws(() => startConsole(rt, { port: 0, selfWakeRatio: 2 }), /selfWakeRatio must be <= 1, got 2/);
});

function* tinyPolls(n: number) {
  for (let i = 0; i < n; i++) yield* yieldNow();
}

test('sampled timing: with timingMask 15 exactly one poll in 16 is timed', async () => {
  const rt = new Runtime();
  const ex = rt.executor;
  ex.timing = true;
  ex.timingMask = 15;
  await rt.blockOn(tinyPolls, 1000);
  const polls = ex.workerPollCount;
  assert.equal(ex.pollHist.count, Math.ceil(polls / 16));
  assert.equal(ex.schedHist.count, Math.ceil(polls / 16));
  await rt.shutdown();
});

test('the console samples timing when polls are tiny and reports recurring untimed blocking', async () => {
  await withConsole({}, async (rt) => {
    const ex = rt.executor;
    const probe = ex.probe!;
    const hook = (drainMs: number, polls: number, timedMs: number): void => probe.afterDrain(drainMs, polls, timedMs);
    assert.equal(ex.timingMask, 0, 'every poll is timed at first');
    hook(20, 2048, 2); // 10 µs per poll on average
    assert.equal(ex.timingMask, 15, 'short polls: one in 16 is timed');
    hook(0.5, 2048, 0.05); // 0.25 µs per poll on average
    assert.equal(ex.timingMask, 63, 'tiny polls: one in 64 is timed');
    hook(30, 3, 0.01); // untimed polls blocked 30 ms: once could be a GC pause
    assert.ok(!kinds(rt.lints()).includes('blocking-poll'));
    hook(30, 3, 0.01); // again: report it
    const l = rt.lints().find((x) => x.kind === 'blocking-poll');
    assert.ok(l);
    assert.equal(l.taskId, 0);
    assert.match(l.message, /polls that were not timed \(timing samples 1 in 64 polls while polls are tiny\) blocked the executor for about 30 ms in a turn of 3 polls, again within 5 s/);
    hook(1500, 5, 0.01); // over the never-yielded threshold: reported at once
    assert.match(rt.lints().find((x) => x.kind === 'never-yielded')?.message ?? '', /not timed .* ran about 1\.5 s without yielding/);
    hook(60, 2048, 60); // long polls (30 µs each): every poll is timed again
    assert.equal(ex.timingMask, 0);
  });
});
