import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Elapsed, JoinError, abortOnDrop, pending, run, select, sleep, spawn, timeout, tryJoin, yieldNow, type Gen } from '../../src/index.js';

function* forever(log: string[], id: string): Gen<number> {
  try {
    return yield* pending<number>();
  } finally {
    log.push(`finally ${id}`);
  }
}

test('timeout(ms, abortOnDrop(h)) aborts the task when the timeout fires; its finally runs', async () => {
  const log: string[] = [];
  const r = await run(function* main() {
    const h = spawn(forever, log, 'a');
    try {
      yield* timeout(5, abortOnDrop(h));
      return 'no timeout';
    } catch (e) {
      assert.ok(e instanceof Elapsed);
    }
    try {
      yield* h;
      return 'not cancelled';
    } catch (e) {
      return e instanceof JoinError && e.isCancelled() ? 'cancelled' : String(e);
    }
  });
  assert.equal(r, 'cancelled');
  assert.deepEqual(log, ['finally a']);
});

test('a plain JoinHandle dropped by a timeout only detaches the task (Tokio semantics)', async () => {
  const log: string[] = [];
  await run(function* main() {
    const h = spawn(forever, log, 'b');
    try {
      yield* timeout(5, h);
    } catch {
      // Elapsed
    }
    yield* yieldNow();
    assert.equal(h.isFinished(), false);
    h.abort();
  });
  assert.deepEqual(log, ['finally b']);
});

test('abortOnDrop gives the output or the JoinError of the task; a finished task is not aborted on drop', async () => {
  const out = await run(function* main(): Gen<number> {
    const h = spawn(function* seven(): Gen<number> {
      yield* sleep(1);
      return 7;
    });
    const f = abortOnDrop(h);
    const v = yield* f;
    f.drop();
    return v;
  });
  assert.equal(out, 7);
  const err = await run(function* main(): Gen<unknown> {
    const h = spawn(function* fails(): Gen<number> {
      yield* yieldNow();
      throw new Error('boom');
    });
    try {
      return yield* abortOnDrop(h);
    } catch (e) {
      return e;
    }
  });
  assert.ok(err instanceof JoinError && err.isPanic());
  assert.equal((err.cause as Error).message, 'boom');
});

test('a losing select branch and a failed tryJoin abort the tasks behind abort-on-drop handles', async () => {
  const log: string[] = [];
  await run(function* main() {
    const r = yield* select({ slow: abortOnDrop(spawn(forever, log, 'loser')), fast: sleep(1) });
    assert.equal(r.key, 'fast');
    try {
      yield* tryJoin(
        abortOnDrop(spawn(forever, log, 'sibling')),
        abortOnDrop(
          spawn(function* fails(): Gen<number> {
            yield* yieldNow();
            throw new Error('x');
          }),
        ),
      );
    } catch {
      // the failing branch
    }
    yield* sleep(1);
  });
  assert.deepEqual(log.sort(), ['finally loser', 'finally sibling']);
});

test('abortOnDrop rejects what is not a handle', () => {
  assert.throws(() => abortOnDrop({} as never), /abortOnDrop expects a JoinHandle/);
});
