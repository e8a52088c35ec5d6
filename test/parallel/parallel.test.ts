import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import {
  Runtime,
  JoinError,
  parallel,
  parallelTask,
  DuplicateTaskError,
  UnknownTaskError,
  ParallelArgumentError,
  NoParallelRuntimeError,
  type Gen,
  type JoinHandle,
} from '../../src/index.js';
import { isMainThread } from 'node:worker_threads';
import { add, echo, byteSum, pfib, fail, delayed, busy, hang, mainOnly, seqFib, onMain, sleepy, parent } from './tasks.js';

const rt = new Runtime({ flavor: 'multi_thread', workers: 2 });
after(() => rt.shutdown());

test('spawn from plain code and from a task gives the result', async () => {
  assert.equal(await add.spawn(2, 3), 5);
  const v = await rt.blockOn(function* main(): Gen<number> {
    return (yield* add.spawn(20, 1)) * 2;
  });
  assert.equal(v, 42);
});

test('arguments and results cross by value: fast-path and structured-clone values', async () => {
  const values: unknown[] = [
    0,
    -1.5,
    NaN,
    'héllo ☃',
    'x'.repeat(5000),
    '',
    true,
    null,
    undefined,
    new Float64Array([1.5, -2]),
    new Uint8Array(10_000).fill(7),
    new BigInt64Array([1n, -2n]),
    { a: [1, 'two', { three: 3n }], d: new Date(0), m: new Map([[1, 2]]) },
    [1, 2, 3],
  ];
  for (const v of values) assert.deepEqual(await echo.spawn(v), v);
  // A copy, not the same object.
  const arr = new Int32Array([1, 2, 3]);
  const back = (await echo.spawn(arr)) as Int32Array;
  back[0] = 99;
  assert.equal(arr[0], 1);
});

test('a transferred buffer moves: detached here, received there', async () => {
  const buf = new Uint8Array([1, 2, 3, 4]).buffer;
  const h = byteSum.spawnWith({ transfer: [buf] }, buf);
  assert.equal(buf.byteLength, 0);
  assert.equal(await h, 10);
});

test('uncloneable arguments throw ParallelArgumentError naming the task', () => {
  assert.throws(
    () => echo.spawn(() => 1),
    (e: unknown) => e instanceof ParallelArgumentError && /test\.echo/.test(e.message) && /cannot be copied/.test(e.message),
  );
  assert.throws(() => echo.spawn(Symbol('s')), ParallelArgumentError);
});

test('registering a name twice throws DuplicateTaskError', () => {
  assert.throws(
    () => parallel(import.meta.url, 'test.add', (a: number) => a),
    (e: unknown) => e instanceof DuplicateTaskError && /test\.add/.test(e.message),
  );
});

test('unknown tasks: lookup by name, and a task a worker cannot find after importing its module', async () => {
  assert.throws(() => parallelTask('no.such.task'), (e: unknown) => e instanceof UnknownTaskError && /no\.such\.task/.test(e.message));
  assert.equal(parallelTask<[number, number], number>('test.add').name, 'test.add');
  await assert.rejects(
    Promise.resolve(mainOnly!.spawn(1)),
    (e: unknown) => e instanceof JoinError && e.isPanic() && e.cause instanceof Error && e.cause.name === 'UnknownTaskError' && /test\.mainOnly/.test(e.cause.message),
  );
});

test('errors thrown on a worker reach the awaiting task as JoinError with message and stack', async () => {
  const out = await rt.blockOn(function* main(): Gen<string> {
    try {
      yield* fail.spawn('x1');
      return 'no error';
    } catch (e) {
      assert.ok(e instanceof JoinError);
      assert.ok(e.isPanic());
      const c = e.cause as Error;
      assert.ok(c instanceof RangeError);
      assert.equal(c.message, 'boom: x1');
      assert.match(c.stack ?? '', /tasks\.js/);
      assert.match(e.message, /test\.fail/);
      return 'caught';
    }
  });
  assert.equal(out, 'caught');
});

test('async bodies, Node timers and kyoto timers run inside workers', async () => {
  assert.equal(await delayed.spawn(5, 'v'), 'v after 5 ms');
  const hs = [sleepy.spawn(10, 1), sleepy.spawn(5, 2), sleepy.spawn(1, 3)];
  assert.deepEqual(await Promise.all(hs), [2, 4, 6]);
});

test('recursive fork-join from inside workers; children wake parents across threads', async () => {
  assert.equal(await pfib.spawn(22, 12), seqFib(22));
  const m = rt.metrics();
  assert.equal(m.numWorkers, 2);
  assert.ok((m.workers as unknown[]).length >= 2);
  assert.ok(m.workerPollCount > 0);
});

test('abort of a queued task removes it; abort of a running task runs its finally on the worker', async () => {
  const dir = tmpdir();
  const started = join(dir, `kyoto-hang-${process.pid}-started`);
  const fin = join(dir, `kyoto-hang-${process.pid}-finally`);
  rmSync(started, { force: true });
  rmSync(fin, { force: true });
  const h = hang.spawn(started, fin);
  while (!existsSync(started)) await new Promise((r) => setTimeout(r, 5));
  h.abort();
  await assert.rejects(Promise.resolve(h), (e: unknown) => e instanceof JoinError && e.isCancelled());
  assert.equal(readFileSync(fin, 'utf8'), 'finally ran on the worker');
  rmSync(started, { force: true });
  rmSync(fin, { force: true });

  // Two busy tasks occupy both workers; the third waits in a queue and is removed.
  const b1 = busy.spawn(150);
  const b2 = busy.spawn(150);
  const queued = add.spawn(1, 1);
  queued.abort();
  assert.ok(queued.isFinished());
  await assert.rejects(Promise.resolve(queued), (e: unknown) => e instanceof JoinError && e.isCancelled());
  assert.equal(await b1, true);
  assert.equal(await b2, true);
});

test('aborting a running parent on a worker leaves its children detached; the pool keeps working', async () => {
  const started = join(tmpdir(), `kyoto-parent-${process.pid}`);
  rmSync(started, { force: true });
  assert.equal(await parent.spawn(started, 30), 3);
  rmSync(started, { force: true });
  // Children long enough that the abort lands while the parent still awaits them, even on a
  // loaded machine.
  const h = parent.spawn(started, 1000);
  while (!existsSync(started)) await new Promise((r) => setTimeout(r, 5));
  h.abort();
  await assert.rejects(Promise.resolve(h), (e: unknown) => e instanceof JoinError && e.isCancelled());
  rmSync(started, { force: true });
  assert.equal(await add.spawn(40, 2), 42);
});

test('100,000 tasks submitted at once all complete with the right results', async () => {
  const hs = [];
  for (let i = 0; i < 100_000; i++) hs.push(add.spawn(i, 1));
  const vs = await Promise.all(hs);
  let sum = 0;
  for (const v of vs) sum += v;
  assert.equal(sum, (100_000 * 100_001) / 2);
});

test('ordinary spawns on a multi-thread runtime run on its own thread; parallel tasks run on workers', async () => {
  const where = await rt.blockOn(function* localBody(): Gen<[boolean, boolean]> {
    return [isMainThread, yield* onMain.spawn()];
  });
  assert.deepEqual(where, [true, false]);
});

test('with few slots, extra spawns wait in a pending list; aborting one of them removes it', async () => {
  const small = new Runtime({ flavor: 'multi_thread', workers: 2, parallelSlots: 16 });
  try {
    const hs = await small.blockOn(function* spawnMany(): Gen<JoinHandle<number>[]> {
      const out: JoinHandle<number>[] = [];
      for (let i = 0; i < 200; i++) out.push(add.spawn(i, i));
      return out;
    });
    hs[150]!.abort();
    hs[199]!.abort();
    const settled = await Promise.allSettled(hs);
    for (let i = 0; i < 200; i++) {
      const r = settled[i]!;
      if (i === 150 || i === 199) assert.ok(r.status === 'rejected' && r.reason instanceof JoinError && r.reason.isCancelled());
      else assert.deepEqual(r, { status: 'fulfilled', value: 2 * i });
    }
  } finally {
    await small.shutdown();
  }
});

test('spawning with no multi-thread runtime throws NoParallelRuntimeError', async () => {
  const plain = new Runtime();
  await plain.shutdown();
  const r2 = new Runtime({ flavor: 'multi_thread', workers: 1 });
  await r2.shutdown();
  // rt is still alive: spawns go there.
  assert.equal(await add.spawn(1, 2), 3);
  await rt.shutdown();
  assert.throws(() => add.spawn(1, 2), NoParallelRuntimeError);
  assert.deepEqual(
    process.getActiveResourcesInfo().filter((r) => r !== 'PipeWrap' && r !== 'TTYWrap' && r !== 'Timeout'),
    [],
    'no worker or message port is left behind',
  );
});
