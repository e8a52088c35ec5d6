import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Future,
  Pending,
  Runtime,
  run,
  spawn,
  spawnNamed,
  yieldNow,
  pending,
  pollFn,
  fromPromise,
  JoinError,
  NoRuntimeError,
  SpawnError,
  RuntimeShutdownError,
  type Context,
  type Poll,
  type JoinHandle,
} from '../../src/index.js';

function* double(n: number) {
  yield* yieldNow();
  return n * 2;
}

test('spawn(genFn, ...args) runs the generator as a task and the handle gives its output', async () => {
  const out = await run(function* () {
    const hs: JoinHandle<number>[] = [];
    for (let i = 0; i < 10; i++) hs.push(spawn(double, i));
    let sum = 0;
    for (const h of hs) sum += yield* h;
    return sum;
  });
  assert.equal(out, 90);
});

test('spawn with zero, one and three args, and spawn(future)', async () => {
  function* none() {
    return 'none';
  }
  function* three(a: number, b: string, c: boolean) {
    return `${a}${b}${c}`;
  }
  const out = await run(function* () {
    const a = yield* spawn(none);
    const b = yield* spawn(double, 4);
    const c = yield* spawn(three, 1, 'x', true);
    const d = yield* spawn(pollFn(() => 5));
    return [a, b, c, d];
  });
  assert.deepEqual(out, ['none', 8, '1xtrue', 5]);
});

test('task name comes from the generator function; spawnNamed overrides it', async () => {
  const rt = new Runtime();
  function* handleClient() {
    yield* pending();
  }
  const names = await rt.blockOn(function* () {
    const a = spawn(handleClient);
    const b = spawnNamed('acceptor', handleClient);
    yield* yieldNow();
    const snap = Runtime.current().tasks();
    const r = [a.name, b.name, snap.find((t) => t.id === a.id)?.name, snap.find((t) => t.id === b.id)?.parent];
    a.abort();
    b.abort();
    return r;
  });
  assert.equal(names[0], 'handleClient');
  assert.equal(names[1], 'acceptor');
  assert.equal(names[2], 'handleClient');
  assert.ok(typeof names[3] === 'number' && names[3] > 0, 'parent task id recorded');
  await rt.shutdown();
});

test('an error thrown in a task surfaces as JoinError(panic) with the cause, and others keep running', async () => {
  const rt = new Runtime({ onUnhandledTaskError: () => {} });
  function* fails() {
    yield* yieldNow();
    throw new Error('kaboom');
  }
  const out = await rt.blockOn(function* () {
    const bad = spawn(fails);
    const good = spawn(double, 21);
    let err: unknown;
    try {
      yield* bad;
    } catch (e) {
      err = e;
    }
    return { err, good: yield* good };
  });
  assert.ok(out.err instanceof JoinError);
  assert.ok(out.err.isPanic());
  assert.ok(!out.err.isCancelled());
  assert.equal((out.err.cause as Error).message, 'kaboom');
  assert.equal(out.good, 42);
});

test('an exception from an awaited future is thrown at the yield* (try/catch/finally work)', async () => {
  const log: string[] = [];
  const out = await run(function* () {
    try {
      yield* pollFn(() => {
        throw new TypeError('inner');
      });
    } catch (e) {
      log.push(`caught ${(e as Error).message}`);
    } finally {
      log.push('finally');
    }
    return log;
  });
  assert.deepEqual(out, ['caught inner', 'finally']);
});

test('abort drops the awaited future first, then runs finally exactly once, async cleanup included', async () => {
  const log: string[] = [];
  class Registered extends Future<void> {
    poll(cx: Context): Poll<void> {
      void cx.waker;
      log.push('registered');
      return Pending;
    }
    override drop(): void {
      log.push('dropped');
    }
  }
  function* victim() {
    try {
      yield* new Registered();
    } finally {
      log.push('finally');
      yield* yieldNow();
      log.push('cleanup done');
    }
  }
  const res = await run(function* () {
    const h = spawn(victim);
    yield* yieldNow();
    h.abort();
    h.abort(); // idempotent
    try {
      yield* h;
      return 'not cancelled';
    } catch (e) {
      return e instanceof JoinError && e.isCancelled() ? 'cancelled' : 'other';
    }
  });
  assert.equal(res, 'cancelled');
  assert.deepEqual(log, ['registered', 'dropped', 'finally', 'cleanup done']);
});

test('aborting a task that never started does not call its body', async () => {
  let called = false;
  function* body() {
    called = true;
  }
  const res = await run(function* () {
    const h = spawn(body);
    h.abort();
    try {
      yield* h;
    } catch (e) {
      return (e as JoinError).isCancelled();
    }
    return false;
  });
  assert.equal(res, true);
  assert.equal(called, false);
});

test('wakes are idempotent and a wake during the own poll requeues at the back', async () => {
  const order: string[] = [];
  const rt = new Runtime();
  await rt.blockOn(function* () {
    function* a() {
      // Wake itself three times during one poll: it must run again once, after b.
      yield* pollFn<void>((cx) => {
        if (order.includes('a1')) return undefined;
        order.push('a1');
        cx.waker.wakeByRef();
        cx.waker.wakeByRef();
        cx.waker.wake();
        return Pending;
      });
      order.push('a2');
    }
    function* b() {
      order.push('b');
    }
    const ha = spawn(a);
    const hb = spawn(b);
    yield* ha;
    yield* hb;
  });
  assert.deepEqual(order, ['a1', 'b', 'a2']);
  const a = rt.metrics();
  assert.ok(a.spawnedTasksCount >= 3);
});

test('a wake after completion is a no-op', async () => {
  let w: { wake(): void } | null = null;
  const rt = new Runtime();
  await rt.blockOn(function* () {
    yield* pollFn<void>((cx) => {
      w = cx.waker.clone();
      return undefined;
    });
  });
  const polls = rt.metrics().workerPollCount;
  w!.wake();
  await new Promise((r) => setImmediate(r));
  assert.equal(rt.metrics().workerPollCount, polls);
});

test('promise functions run as tasks with an AbortSignal that abort() sets', async () => {
  const rt = new Runtime();
  async function fetchUser(id: number, signal: AbortSignal): Promise<string> {
    await new Promise((r) => setTimeout(r, 1));
    return `user ${id} aborted=${signal.aborted}`;
  }
  let sawAbort = false;
  async function slow(signal: AbortSignal): Promise<void> {
    await new Promise<void>((resolve) =>
      signal.addEventListener('abort', () => {
        sawAbort = true;
        resolve();
      }),
    );
  }
  const out = await rt.blockOn(function* () {
    const u = yield* spawn(fetchUser, 7);
    const h = spawn(slow);
    yield* yieldNow();
    h.abort();
    let cancelled = false;
    try {
      yield* h;
    } catch (e) {
      cancelled = (e as JoinError).isCancelled();
    }
    return { u, cancelled };
  });
  assert.deepEqual(out, { u: 'user 7 aborted=false', cancelled: true });
  assert.equal(sawAbort, true);
});

test('a JoinHandle can be awaited from plain async code', async () => {
  const rt = new Runtime({ onUnhandledTaskError: () => {} });
  const h = rt.spawn(double, 5);
  assert.equal(await h, 10);
  function* fails() {
    throw new Error('x');
  }
  await assert.rejects(Promise.resolve(rt.spawn(fails)), JoinError);
});

test('spawn outside a runtime and bad bodies throw clear typed errors', async () => {
  assert.throws(() => spawn(double, 1), NoRuntimeError);
  const rt = new Runtime();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  assert.throws(() => rt.spawn(42 as any), SpawnError);
  assert.throws(
    () =>
      rt.spawn(async function* gen() {
        yield 1;
      }),
    /async generator/,
  );
  await rt.shutdown();
  assert.throws(() => rt.spawn(double, 1), RuntimeShutdownError);
});

test('blockOn may be called concurrently; each call is a root task', async () => {
  const rt = new Runtime();
  function* slowDouble(n: number) {
    yield* fromPromise(new Promise((r) => setTimeout(r, 2)));
    return n * 2;
  }
  const rs = await Promise.all([1, 2, 3, 4].map((n) => rt.blockOn(slowDouble, n)));
  assert.deepEqual(rs, [2, 4, 6, 8]);
  await assert.rejects(
    rt.blockOn(function* () {
      throw new RangeError('root error');
    }),
    RangeError,
  );
});

test('shutdown cancels every task and runs its cleanup', async () => {
  const rt = new Runtime();
  const cleaned: number[] = [];
  function* server(i: number) {
    try {
      yield* pending();
    } finally {
      yield* yieldNow();
      cleaned.push(i);
    }
  }
  for (let i = 0; i < 5; i++) rt.spawn(server, i);
  await new Promise((r) => setImmediate(r));
  assert.equal(rt.metrics().numAliveTasks, 5);
  await rt.shutdown();
  assert.deepEqual(cleaned.sort(), [0, 1, 2, 3, 4]);
  assert.equal(rt.metrics().numAliveTasks, 0);
});

test('an unawaited failing task is reported through onUnhandledTaskError with name and location', async () => {
  const seen: { name: string; location: string; msg: string }[] = [];
  const rt = new Runtime({
    onUnhandledTaskError: (e, t) => seen.push({ name: t.name, location: t.location, msg: (e as Error).message }),
  });
  function* orphan() {
    throw new Error('nobody listens');
  }
  function* awaited() {
    throw new Error('somebody listens');
  }
  await rt.blockOn(function* () {
    spawn(orphan);
    const h = spawn(awaited);
    try {
      yield* h;
    } catch {
      // handled
    }
  });
  // Reports are made one event-loop turn after the failure (as unhandled rejections are).
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
  assert.equal(seen.length, 1);
  assert.equal(seen[0]!.name, 'orphan');
  assert.equal(seen[0]!.msg, 'nobody listens');
  assert.match(seen[0]!.location, /task\.test\.ts:\d+:\d+/);
});

test('metrics and task snapshots use Tokio names and count polls', async () => {
  const rt = new Runtime({ timing: true });
  function* sleeper() {
    yield* yieldNow();
    yield* pending();
  }
  await rt.blockOn(function* () {
    spawn(sleeper);
    yield* yieldNow();
    yield* yieldNow();
  });
  const m = rt.metrics();
  for (const k of ['numWorkers', 'numAliveTasks', 'spawnedTasksCount', 'workerPollCount', 'budgetForcedYieldCount', 'workerMeanPollTime', 'remoteScheduleCount']) {
    assert.ok(k in m, k);
  }
  assert.equal(m.numWorkers, 1);
  assert.equal(m.numAliveTasks, 1);
  const [t] = rt.tasks();
  assert.equal(t!.name, 'sleeper');
  assert.equal(t!.state, 'idle');
  assert.equal(t!.polls, 2);
  assert.ok(t!.wakes >= 1 && t!.selfWakes >= 1);
  assert.ok(t!.busyMs >= 0);
  assert.match(rt.dump(), /sleeper/);
  await rt.shutdown();
});
