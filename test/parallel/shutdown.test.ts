// Shutdown of the multi-thread flavour and of the blocking pool: cleanup runs, bounded by a deadline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Runtime, JoinError, RuntimeShutdownError, spawnBlocking } from '../../src/index.js';
import { poolOf } from '../../src/runtime/scheduler/multi_thread/pool.js';
import { blockingPoolOf } from '../../src/runtime/blocking/blocking_pool.js';
import { add, hangAsyncFinally, stuckFinally, spinForever } from './tasks.js';

let n = 0;
function tmp(what: string): string {
  const p = join(tmpdir(), `kyoto-shutdown-${process.pid}-${n++}-${what}`);
  rmSync(p, { force: true });
  return p;
}

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(cond(), 'condition reached');
}

function cancelledBy(re: RegExp | null): (e: unknown) => boolean {
  return (e: unknown) => e instanceof JoinError && e.isCancelled() && (re === null || (e.cause instanceof RuntimeShutdownError && re.test(e.cause.message)));
}

test("multi-thread shutdown aborts running parallel tasks and waits for their async finally on the worker", async () => {
  const rt = new Runtime({ flavor: 'multi_thread', workers: 2 });
  const started = tmp('started');
  const fin = tmp('finally');
  assert.equal(await add.spawn(1, 2), 3);
  const h = hangAsyncFinally.spawn(started, fin);
  await until(() => existsSync(started));
  await rt.shutdown();
  assert.equal(readFileSync(fin, 'utf8'), 'async finally ran on the worker');
  await assert.rejects(Promise.resolve(h), cancelledBy(null));
  const left = process.getActiveResourcesInfo().filter((r) => r === 'MessagePort' || r === 'Worker');
  assert.deepEqual(left, []);
});

test('a deadline bounds the wait: a finally that never ends is abandoned and the threads terminated', async () => {
  const rt = new Runtime({ flavor: 'multi_thread', workers: 1 });
  const started = tmp('stuck');
  const h = stuckFinally.spawn(started);
  await until(() => existsSync(started));
  await poolOf(rt)!.shutdown(performance.now() + 200);
  await assert.rejects(Promise.resolve(h), cancelledBy(/shut down before this parallel task finished/));
  await rt.shutdown();
});

test('blocking pool: a started task that never returns is terminated at the shutdown deadline', async () => {
  const rt = new Runtime();
  const started = tmp('spin');
  // Spawned inside a task of rt, so that rt's blocking pool runs it.
  const { h } = await rt.blockOn(function* () {
    yield* [];
    return { h: spawnBlocking(spinForever, started) };
  });
  await until(() => existsSync(started));
  await blockingPoolOf(rt).shutdown(performance.now() + 200);
  await assert.rejects(Promise.resolve(h), cancelledBy(/still running when the shutdown timed out/));
  await rt.shutdown();
  const left = process.getActiveResourcesInfo().filter((r) => r === 'MessagePort' || r === 'Worker');
  assert.deepEqual(left, []);
});

test('rt.shutdown({ timeoutMs }) ends a stuck blocking task and a stuck parallel finally, and leaves no thread behind', async () => {
  const rt = new Runtime({ flavor: 'multi_thread', workers: 1 });
  const spin = tmp('spin-e2e');
  const stuck = tmp('stuck-e2e');
  const { b } = await rt.blockOn(function* () {
    yield* [];
    return { b: spawnBlocking(spinForever, spin) };
  });
  const p = stuckFinally.spawn(stuck);
  await until(() => existsSync(spin) && existsSync(stuck));
  await rt.shutdown({ timeoutMs: 200 });
  await assert.rejects(Promise.resolve(b), cancelledBy(null));
  await assert.rejects(Promise.resolve(p), cancelledBy(null));
  // The grace period ends the wait; the terminated threads' ports close right after.
  await until(() => !process.getActiveResourcesInfo().some((r) => r === 'MessagePort' || r === 'Worker'));
});
