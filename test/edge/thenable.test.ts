import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Future,
  Pending,
  Runtime,
  Sleep,
  fromPromise,
  pollFn,
  ready,
  run,
  sleep,
  spawn,
  yieldNow,
  type Context,
  type Gen,
  type Poll,
} from '../../src/index.js';

class Counting extends Future<number> {
  polls = 0;
  runs = 0;
  poll(cx: Context): Poll<number> {
    if (this.polls++ === 0) {
      this.runs++;
      cx.waker.wakeByRef();
      return Pending;
    }
    return 41 + this.runs;
  }
}

test('await sleep(ms) from async code waits for the timer and gives undefined, not a Sleep', async () => {
  let done = false;
  const p = (async () => {
    const v: unknown = await sleep(5);
    done = true;
    return v;
  })();
  await Promise.resolve();
  await Promise.resolve();
  assert.equal(done, false, 'the await returned before the timer fired');
  const v = await p;
  assert.equal(done, true);
  assert.equal(v, undefined);
  assert.ok(!((v as unknown) instanceof Sleep));
});

test('await fut resolves with its output and rejects with its own error', async () => {
  assert.equal(await ready(5), 5);
  const boom = new Error('boom');
  await assert.rejects(async () => {
    await fromPromise(Promise.reject(boom));
  }, (e: unknown) => e === boom);
});

test('a future awaited twice runs once; both awaits get its output', async () => {
  const f = new Counting();
  const [a, b] = await Promise.all([f, f]);
  assert.equal(a, 42);
  assert.equal(b, 42);
  assert.equal(await f, 42);
  assert.equal(f.runs, 1);
});

test('from a blockOn async body, awaited futures run on that runtime; from plain code, on the default one', async () => {
  const rt = new Runtime();
  const where = () => {
    let seen: Runtime | null = null;
    return {
      fut: pollFn<number>(() => {
        seen = Runtime.tryCurrent();
        return 1;
      }),
      seen: () => seen,
    };
  };
  const inside = where();
  await rt.blockOn(async () => {
    await new Promise((r) => setTimeout(r, 1)); // no task is current after this
    await inside.fut;
  });
  assert.equal(inside.seen(), rt);
  const outside = where();
  await outside.fut;
  assert.equal(outside.seen(), Runtime.default());
  await rt.shutdown();
});

test('with a paused clock, await sleep(1 h) inside rt.blockOn(async) uses that runtime’s clock', async () => {
  const rt = new Runtime({ startPaused: true });
  const v = await rt.blockOn(async () => {
    await sleep(3_600_000);
    return 'woke';
  });
  assert.equal(v, 'woke');
  await rt.shutdown();
});

test('yield* and await of JoinHandles behave as before', async () => {
  function* child(n: number): Gen<number> {
    yield* yieldNow();
    return n * 2;
  }
  const out = await run(function* main(): Gen<number> {
    const h = spawn(child, 4);
    yield* sleep(1);
    return (yield* h) + 1;
  });
  assert.equal(out, 9);
  const rt = new Runtime();
  const h = rt.spawn(child, 5);
  assert.equal(await h, 10);
  await rt.shutdown();
});

test('an async function returning a future resolves with the future’s output', async () => {
  async function f(): Promise<number> {
    return ready(7);
  }
  assert.equal(await f(), 7);
});
