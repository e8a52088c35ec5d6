import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  Elapsed,
  Runtime,
  fromPromise,
  ready,
  run,
  select,
  sleep,
  spawn,
  timeout,
  yieldNow,
  type Gen,
} from '../../src/index.js';

test('fromPromise(fn) calls fn at the first poll, not before, and awaits its promise', async () => {
  const log: string[] = [];
  const out = await run(function* main(): Gen<number> {
    const f = fromPromise((signal) => {
      log.push(`called, aborted=${signal.aborted}`);
      return Promise.resolve(7);
    });
    yield* yieldNow();
    log.push('before first poll');
    const v = yield* f;
    log.push('done');
    return v;
  });
  assert.equal(out, 7);
  assert.deepEqual(log, ['before first poll', 'called, aborted=false', 'done']);
});

test('fromPromise(fn) dropped before its first poll never calls fn', async () => {
  let calls = 0;
  await run(function* main() {
    const f = fromPromise(() => {
      calls++;
      return Promise.resolve(1);
    });
    f.drop();
    yield* yieldNow();
  });
  assert.equal(calls, 0);
});

test('a timeout around fromPromise(signal => fetch(...)) aborts the HTTP request upstream', async () => {
  let sawRequest!: () => void;
  const requested = new Promise<void>((r) => (sawRequest = r));
  let upstreamClosed!: (how: string) => void;
  const closed = new Promise<string>((r) => (upstreamClosed = r));
  const server = createServer((req: IncomingMessage, res) => {
    sawRequest();
    // Never answers: only an abort from the client ends this request.
    res.on('close', () => upstreamClosed(res.writableFinished ? 'finished' : 'aborted by client'));
    req.resume();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slow`;
  try {
    const outcome = await run(function* main(): Gen<string> {
      const fut = timeout(
        1_000_000,
        fromPromise((signal) => fetch(url, { signal })),
      );
      // Fire the timeout only once the upstream has seen the request.
      const r = yield* select({
        res: fut,
        seen: fromPromise(requested),
      });
      if (r.key !== 'seen') return 'unexpected response';
      // The select dropped the request future: that alone must abort the request.
      return 'dropped';
    });
    assert.equal(outcome, 'dropped');
    assert.equal(await closed, 'aborted by client');
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
});

test('timeout(ms, fromPromise(signal => fetch)) throws Elapsed and the upstream sees the abort', async () => {
  let upstreamClosed!: (how: string) => void;
  const closed = new Promise<string>((r) => (upstreamClosed = r));
  const server = createServer((req, res) => {
    res.on('close', () => upstreamClosed(res.writableFinished ? 'finished' : 'aborted by client'));
    req.resume();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slow`;
  try {
    const err = await run(function* main(): Gen<unknown> {
      try {
        yield* timeout(50, fromPromise((signal) => fetch(url, { signal })));
        return null;
      } catch (e) {
        return e;
      }
    });
    assert.ok(err instanceof Elapsed, `expected Elapsed, got ${String(err)}`);
    assert.equal(await closed, 'aborted by client');
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
});

test('aborting the task that awaits fromPromise(fn) aborts the signal; the rejection is swallowed', async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown) => unhandled.push(e);
  process.on('unhandledRejection', onUnhandled);
  try {
    let signal: AbortSignal | null = null;
    await run(function* main() {
      const h = spawn(function* child() {
        yield* fromPromise(
          (s) =>
            new Promise((_resolve, reject) => {
              signal = s;
              s.addEventListener('abort', () => reject(s.reason));
            }),
        );
      });
      while (signal === null) yield* yieldNow();
      h.abort();
      try {
        yield* h;
      } catch {
        // cancelled
      }
    });
    assert.equal((signal as AbortSignal | null)?.aborted, true);
    await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(unhandled, []);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});

test('a lost select branch aborts its fromPromise(fn) signal; the winner keeps its own', async () => {
  const signals: AbortSignal[] = [];
  const r = await run(function* main() {
    return yield* select({
      slow: fromPromise((s) => {
        signals.push(s);
        return new Promise(() => {});
      }),
      fast: sleep(5),
    });
  });
  assert.equal(r.key, 'fast');
  assert.equal(signals.length, 1);
  assert.equal(signals[0]!.aborted, true);
});

test('fromPromise(fn): a synchronous throw or a non-promise result is thrown at the yield*', async () => {
  const e1 = await run(function* main(): Gen<unknown> {
    try {
      yield* fromPromise(() => {
        throw new Error('sync boom');
      });
    } catch (e) {
      return e;
    }
  });
  assert.equal((e1 as Error).message, 'sync boom');
  const e2 = await run(function* main(): Gen<unknown> {
    try {
      yield* fromPromise(function notAPromise() {
        return 42 as unknown as Promise<number>;
      });
    } catch (e) {
      return e;
    }
  });
  assert.ok(e2 instanceof TypeError);
  assert.match((e2 as Error).message, /fromPromise\(notAPromise\): the function must return a promise, got number/);
  assert.throws(() => fromPromise(42 as never), /fromPromise expects a promise or a function/);
});

test('fromPromise(future) is the future itself; fromPromise(promise) is unchanged', async () => {
  const f = ready(3);
  assert.equal(fromPromise(f), f);
  assert.equal(await run(function* main() { return yield* fromPromise(Promise.resolve(4)); }), 4);
});

test('spawn(asyncFn) and fromPromise(fn) abort their signals the same way', async () => {
  const rt = new Runtime();
  const reasons: string[] = [];
  await rt.blockOn(function* main() {
    const h = spawn(async (signal: AbortSignal) => {
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
      reasons.push(`spawn: ${(signal.reason as Error).name}`);
    });
    const f = fromPromise((signal) => {
      signal.addEventListener('abort', () => reasons.push(`fromPromise: ${(signal.reason as Error).name}`));
      return new Promise(() => {});
    });
    yield* select({ f, tick: yieldNow() });
    yield* yieldNow();
    h.abort();
    try {
      yield* h;
    } catch {
      // cancelled
    }
  });
  await rt.shutdown();
  assert.deepEqual(reasons.sort(), ['fromPromise: AbortError', 'spawn: AbortError']);
});
