import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Future,
  Pending,
  Runtime,
  run,
  ready,
  pending,
  pollFn,
  lazy,
  fromPromise,
  toPromise,
  contextFromWaker,
  wakerFn,
  noopWaker,
  NoRuntimeError,
  DeadlockError,
  type Context,
  type Poll,
  type Waker,
} from '../../src/index.js';

// The seeds' CounterFuture: ready after `max` polls, waking itself each time.
class CounterFuture extends Future<string> {
  count = 0;
  constructor(readonly max: number) {
    super();
  }
  poll(cx: Context): Poll<string> {
    if (this.count >= this.max) return `Done at ${this.count}`;
    this.count++;
    cx.waker.wakeByRef();
    return Pending;
  }
}

test('CounterFuture from the seeds completes after max polls', async () => {
  const fut = new CounterFuture(5);
  const msg = await run(function* () {
    return yield* fut;
  });
  assert.equal(msg, 'Done at 5');
  assert.equal(fut.count, 5);
});

test('a future is lazy: nothing runs until polled', async () => {
  let calls = 0;
  const f = lazy(() => ++calls);
  assert.equal(calls, 0);
  const v = await run(function* () {
    return yield* f;
  });
  assert.equal(v, 1);
  assert.equal(calls, 1);
});

test('polling by hand with a waker counts wakes', () => {
  let woken = 0;
  const cx = contextFromWaker(wakerFn(() => woken++));
  const fut = new CounterFuture(2);
  assert.equal(fut.poll(cx), Pending);
  assert.equal(fut.poll(cx), Pending);
  assert.equal(fut.poll(cx), 'Done at 2');
  assert.equal(woken, 2);
});

// The seeds' "waker not registered" bug: Pending without registering the waker hangs forever.
class ForgetfulFuture extends Future<number> {
  polls = 0;
  poll(_cx: Context): Poll<number> {
    this.polls++;
    return Pending; // bug: never stores cx.waker
  }
}

test('a future that never registers its waker is reported, not silently exited', async () => {
  const rt = new Runtime({ onUnhandledTaskError: () => {} });
  const fut = new ForgetfulFuture();
  await assert.rejects(
    rt.blockOn(function* stuck() {
      return yield* fut;
    }),
    (e: unknown) => {
      assert.ok(e instanceof DeadlockError);
      assert.match(e.message, /stuck/);
      assert.match(e.message, /lost waker/);
      return true;
    },
  );
  assert.equal(fut.polls, 1, 'polled exactly once: nothing woke it');
});

test('ready, pollFn and fromPromise give their values; rejection throws at the yield*', async () => {
  const out = await run(function* () {
    const a = yield* ready(1);
    let n = 0;
    const b = yield* pollFn<number>((cx) => {
      if (++n < 3) {
        cx.waker.wakeByRef();
        return Pending;
      }
      return n;
    });
    const c = yield* fromPromise(new Promise<number>((r) => setTimeout(() => r(7), 1)));
    let caught: unknown;
    try {
      yield* fromPromise(Promise.reject(new Error('boom')));
    } catch (e) {
      caught = e;
    }
    return [a, b, c, (caught as Error).message];
  });
  assert.deepEqual(out, [1, 3, 7, 'boom']);
});

test('toPromise runs a future from plain async code', async () => {
  assert.equal(await toPromise(ready(42)), 42);
  await assert.rejects(toPromise(pollFn(() => { throw new RangeError('bad'); })), RangeError);
});

test('yield* outside a task throws a clear NoRuntimeError', () => {
  function* body() {
    return yield* ready(1);
  }
  const g = body();
  assert.throws(() => g.next(), NoRuntimeError);
});

test('a bare yield of a future is rejected with a TypeError naming yield*', async () => {
  await assert.rejects(
    run(function* () {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      yield ready(1) as any;
    }),
    /yield\*/,
  );
});

test('drop and Symbol.dispose call drop exactly as written', () => {
  let drops = 0;
  class Reg extends Future<void> {
    poll(): Poll<void> {
      return Pending;
    }
    override drop(): void {
      drops++;
    }
  }
  {
    using _r = new Reg();
  }
  assert.equal(drops, 1);
  assert.equal(pending().poll(contextFromWaker(noopWaker())), Pending);
});

test('Waker contract of a task waker: clone wakes the same task, willWake recognises it', async () => {
  let captured: Waker | null = null;
  const out = await run(function* () {
    const v = yield* pollFn<string>((cx) => {
      if (captured === null) {
        captured = cx.waker.clone();
        assert.ok(captured.willWake(cx.waker));
        assert.ok(!captured.willWake(noopWaker()));
        setTimeout(() => captured!.wake(), 1);
        return Pending;
      }
      return 'woken';
    });
    return v;
  });
  assert.equal(out, 'woken');
});

test('future(genFn, ...args) drives a generator inside the awaiting task; drop runs finally', async () => {
  const { future, yieldNow, run: runIt } = await import('../../src/index.js');
  const log: string[] = [];
  function* step(n: number) {
    try {
      yield* yieldNow();
      return n + 1;
    } finally {
      log.push(`finally ${n}`);
    }
  }
  const v = await runIt(function* () {
    const a = yield* future(step, 1);
    const f = future(step, 10);
    // Poll it once by hand so it is suspended inside its try, then drop it.
    const cx = { waker: { wake() {}, wakeByRef() {}, clone() { return this; }, willWake() { return false; } } };
    assert.equal(f.poll(cx), Pending);
    f.drop();
    return a;
  });
  assert.equal(v, 2);
  assert.deepEqual(log, ['finally 1', 'finally 10']);
});
