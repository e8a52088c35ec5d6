// Errors met while a task is cancelled are kept in the JoinError and never silently dropped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Future, JoinError, Pending, Runtime, pollFn, sleep, spawn, type Gen } from '../../src/index.js';

class ThrowsOnDrop extends Future<never> {
  poll(): typeof Pending {
    return Pending; // never ready (and deliberately never woken: the test aborts it)
  }
  override drop(): void {
    throw new Error('drop failed');
  }
}

test('an error the body was unwinding from when abort() arrived is kept as the cause', async () => {
  const rt = new Runtime();
  try {
    const err = await rt.blockOn(function* main(): Gen<unknown> {
      const boom = new Error('boom');
      const h = spawn(function* body(): Gen<void> {
        try {
          yield* pollFn<never>(() => { throw boom; });
        } finally {
          yield* sleep(50); // cleanup awaits: the abort arrives here
        }
      });
      yield* sleep(5);
      h.abort();
      try {
        yield* h;
      } catch (e) {
        return e;
      }
      return null;
    });
    assert.ok(err instanceof JoinError);
    assert.ok(err.isCancelled());
    assert.equal((err.cause as Error).message, 'boom');
    assert.deepEqual(err.errors.map((e) => (e as Error).message), ['boom']);
  } finally {
    await rt.shutdown();
  }
});

test('a drop() that throws during abort becomes the JoinError cause', async () => {
  const rt = new Runtime();
  try {
    const err = await rt.blockOn(function* main(): Gen<unknown> {
      const h = spawn(function* waiter(): Gen<void> {
        yield* new ThrowsOnDrop();
      });
      yield* sleep(1);
      h.abort();
      try {
        yield* h;
      } catch (e) {
        return e;
      }
      return null;
    });
    assert.ok(err instanceof JoinError && err.isCancelled());
    assert.equal((err.cause as Error).message, 'drop failed');
    assert.match(err.message, /was cancelled \(errors during cancellation: drop failed\)/);
  } finally {
    await rt.shutdown();
  }
});

test('a drop() that throws during abort of an unawaited task reaches onUnhandledTaskError', async () => {
  const seen: unknown[] = [];
  const rt = new Runtime({ onUnhandledTaskError: (e) => seen.push(e) });
  try {
    await rt.blockOn(function* main(): Gen<void> {
      const h = spawn(function* waiter(): Gen<void> {
        yield* new ThrowsOnDrop();
      });
      yield* sleep(1);
      h.abort();
      yield* sleep(5);
    });
    await new Promise((r) => setImmediate(r));
    assert.equal(seen.length, 1);
    const e = seen[0];
    assert.ok(e instanceof JoinError && e.isCancelled());
    assert.equal((e.cause as Error).message, 'drop failed');
  } finally {
    await rt.shutdown();
  }
});

test('a clean cancellation has no cause and no errors, and is not reported', async () => {
  const seen: unknown[] = [];
  const rt = new Runtime({ onUnhandledTaskError: (e) => seen.push(e) });
  try {
    const err = await rt.blockOn(function* main(): Gen<unknown> {
      const h = spawn(function* sleeper(): Gen<void> { yield* sleep(1000); });
      yield* sleep(1);
      h.abort();
      try { yield* h; } catch (e) { return e; }
      return null;
    });
    assert.ok(err instanceof JoinError && err.isCancelled());
    assert.equal(err.cause, undefined);
    assert.deepEqual(err.errors, []);
    await new Promise((r) => setImmediate(r));
    assert.equal(seen.length, 0);
  } finally {
    await rt.shutdown();
  }
});
