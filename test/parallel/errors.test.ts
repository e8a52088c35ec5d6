// Errors keep their identity across threads: class, own properties, non-Error values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Runtime, JoinError, IoError, UnknownTaskError, ParallelArgumentError, WorkerDiedError, spawnBlocking } from '../../src/index.js';
import { thrower, rethrowJoin, readMissing, uncopyableResult } from './error_tasks.js';
import { mainOnly, exitInTask } from './tasks.js';

async function causeOf(p: PromiseLike<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof JoinError && e.isPanic(), `a panic JoinError, got ${String(e)}`);
    return e.cause;
  }
  assert.fail('expected the task to fail');
}

test('thrown values cross threads as they were thrown', async () => {
  const rt = new Runtime({ flavor: 'multi_thread', workers: 2 });
  try {
    assert.equal(await causeOf(thrower.spawn('number')), 42);
    assert.deepEqual(await causeOf(thrower.spawn('object')), { code: 'E_X', detail: [1, 2] });
    const p = (await causeOf(thrower.spawn('props'))) as TypeError & Record<string, unknown>;
    assert.ok(p instanceof TypeError);
    assert.equal(p.message, 'with props');
    assert.deepEqual([p.code, p.errno, p.path, p.syscall, p.extra], ['E_PROPS', -2, '/x', 'open', { n: 1 }]);
    assert.match(p.stack ?? '', /error_tasks/);
    const io = await causeOf(thrower.spawn('io'));
    assert.ok(io instanceof IoError);
    assert.deepEqual([io.code, io.syscall, io.address, io.name], ['ECONNRESET', 'read', '127.0.0.1:1', 'IoError']);
    const c = (await causeOf(thrower.spawn('cause'))) as Error;
    assert.ok(c.cause instanceof RangeError);
    assert.equal((c.cause as RangeError & { code: string }).code, 'E_INNER');
    const custom = await causeOf(thrower.spawn('custom'));
    assert.ok(custom instanceof RangeError, 'a user subclass arrives as its nearest known class');
    const fn = await causeOf(thrower.spawn('function'));
    assert.ok(fn instanceof Error && /cannot be copied/.test(fn.message));
  } finally {
    await rt.shutdown();
  }
});

test("kyoto's own errors keep their class: JoinError, UnknownTaskError, ParallelArgumentError", async () => {
  const rt = new Runtime({ flavor: 'multi_thread', workers: 2 });
  try {
    const j = await causeOf(rethrowJoin.spawn());
    assert.ok(j instanceof JoinError && j.isPanic(), 'the child JoinError crosses as a JoinError');
    assert.equal(j.cause, 42);
    const u = await causeOf(mainOnly!.spawn(1));
    assert.ok(u instanceof UnknownTaskError, `UnknownTaskError from the worker, got ${String(u)}`);
    const a = await causeOf(uncopyableResult.spawn());
    assert.ok(a instanceof ParallelArgumentError);
  } finally {
    await rt.shutdown();
  }
});

test('spawnBlocking: an fs ENOENT keeps code, errno, syscall and path; a dead thread gives WorkerDiedError', async () => {
  const rt = new Runtime();
  try {
    const e = (await causeOf(spawnBlocking(readMissing, '/nonexistent/kyoto-test'))) as Error & Record<string, unknown>;
    assert.ok(e instanceof Error);
    assert.deepEqual([e.code, e.syscall, e.path, typeof e.errno], ['ENOENT', 'open', '/nonexistent/kyoto-test', 'number']);
    const d = await causeOf(spawnBlocking(exitInTask, 7));
    assert.ok(d instanceof WorkerDiedError, `WorkerDiedError, got ${String(d)}`);
  } finally {
    await rt.shutdown();
  }
});
