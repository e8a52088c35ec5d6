import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  Runtime,
  run,
  yieldNow,
  pending,
  select,
  JoinSet,
  JoinError,
  ready,
  type Gen,
} from '../../src/index.js';
import { Gate } from './helpers.js';

function* work(n: number, log: string[]) {
  try {
    for (let i = 0; i < n; i++) yield* yieldNow();
    return n;
  } finally {
    log.push(`finally ${n}`);
  }
}

function* fails(n: number): Gen<number> {
  for (let i = 0; i < n; i++) yield* yieldNow();
  throw new Error(`fail ${n}`);
}

function* forever(log: string[], id: string): Gen<number> {
  try {
    return yield* pending<number>();
  } finally {
    log.push(`finally ${id}`);
  }
}

test('joinNext gives outputs in completion order, then undefined; size counts unjoined tasks', async () => {
  const log: string[] = [];
  const out = await run(function* () {
    const set = new JoinSet<number>();
    set.spawn(work, 5, log);
    set.spawn(work, 1, log);
    set.spawn(work, 3, log);
    const sizes = [set.size];
    const got: number[] = [];
    let v: number | undefined;
    while ((v = yield* set.joinNext()) !== undefined) {
      got.push(v);
      sizes.push(set.size);
    }
    return { got, sizes, empty: set.isEmpty(), after: yield* set.joinNext() };
  });
  assert.deepEqual(out.got, [1, 3, 5]);
  assert.deepEqual(out.sizes, [3, 2, 1, 0]);
  assert.equal(out.empty, true);
  assert.equal(out.after, undefined);
});

test('a failed task comes out of joinNext as a JoinError (panic) and is not reported as unhandled', async () => {
  const unhandled: unknown[] = [];
  const rt = new Runtime({ onUnhandledTaskError: (e) => unhandled.push(e) });
  const out = await rt.blockOn(function* () {
    const set = new JoinSet<number>();
    set.spawn(fails, 1);
    set.spawn(work, 2, []);
    const res: string[] = [];
    for (;;) {
      try {
        const v = yield* set.joinNext();
        if (v === undefined) break;
        res.push(`ok ${v}`);
      } catch (e) {
        assert.ok(e instanceof JoinError && e.isPanic());
        res.push(`err ${(e.cause as Error).message}`);
      }
    }
    return res;
  });
  await new Promise((r) => setImmediate(r));
  await rt.shutdown();
  assert.deepEqual(out, ['err fail 1', 'ok 2']);
  assert.deepEqual(unhandled, []);
});

test('joinNextWithId tells which task; tryJoinNext never waits', async () => {
  const out = await run(function* () {
    const set = new JoinSet<number>();
    const a = set.spawn(work, 0, []);
    const none = set.tryJoinNext();
    yield* yieldNow();
    yield* yieldNow();
    const got = set.tryJoinNext();
    const b = set.spawn(work, 1, []);
    const r = yield* set.joinNextWithId();
    return { none, got, aId: a.id, bId: b.id, r };
  });
  assert.equal(out.none, undefined);
  assert.equal(out.got, 0);
  assert.deepEqual(out.r, { id: out.bId, value: 1 });
});

test('joinNext is cancel-safe: dropping it in a select loses no output', async () => {
  const out = await run(function* () {
    const set = new JoinSet<number>();
    for (let i = 1; i <= 6; i++) set.spawn(work, i * 2, []);
    const got: number[] = [];
    let timeouts = 0;
    while (!set.isEmpty()) {
      const r = yield* select({ next: set.joinNext(), tick: yieldNow() });
      if (r.key === 'next') {
        if (r.value !== undefined) got.push(r.value);
      } else timeouts++;
    }
    return { got, timeouts, waiters: set.resourceInfo().waiters };
  });
  assert.deepEqual(out.got, [2, 4, 6, 8, 10, 12]);
  assert.ok(out.timeouts > 0);
  assert.equal(out.waiters, 0, 'dropped joinNext futures left the waiter list');
});

test('abortAll cancels running tasks (finally runs); joining yields cancelled JoinErrors', async () => {
  const log: string[] = [];
  const out = await run(function* () {
    const set = new JoinSet<number>();
    set.spawn(forever, log, 'a');
    set.spawn(forever, log, 'b');
    yield* yieldNow();
    set.abortAll();
    const res: boolean[] = [];
    for (;;) {
      try {
        if ((yield* set.joinNext()) === undefined) break;
      } catch (e) {
        res.push(e instanceof JoinError && e.isCancelled());
      }
    }
    return res;
  });
  assert.deepEqual(out, [true, true]);
  assert.deepEqual(log.sort(), ['finally a', 'finally b']);
});

test('shutdown aborts and waits for every task, including async cleanup', async () => {
  const log: string[] = [];
  function* slowCleanup(id: string) {
    try {
      yield* pending();
    } finally {
      yield* yieldNow();
      yield* yieldNow();
      log.push(`cleaned ${id}`);
    }
  }
  const out = await run(function* () {
    const set = new JoinSet<void>();
    set.spawn(slowCleanup, 'x');
    set.spawn(slowCleanup, 'y');
    yield* yieldNow();
    yield* set.shutdown();
    return [set.size, log.length];
  });
  assert.deepEqual(out, [0, 2]);
});

test('joinAll gives every output in completion order', async () => {
  const out = await run(function* () {
    const set = new JoinSet<number>();
    for (const n of [4, 0, 2]) set.spawn(work, n, []);
    return yield* set.joinAll();
  });
  assert.deepEqual(out, [0, 2, 4]);
});

test('joinAll: a failure aborts the rest, waits for their cleanup, then throws the JoinError', async () => {
  const log: string[] = [];
  const out = await run(function* () {
    const set = new JoinSet<number>();
    set.spawn(forever, log, 'a');
    set.spawn(fails, 2);
    set.spawn(forever, log, 'b');
    try {
      yield* set.joinAll();
      return 'no error';
    } catch (e) {
      assert.ok(e instanceof JoinError && e.isPanic());
      return `${(e.cause as Error).message}; cleaned ${log.length}; size ${set.size}`;
    }
  });
  assert.equal(out, 'fail 2; cleaned 2; size 0');
});

test('`using` a JoinSet aborts every task at the end of the block', async () => {
  const log: string[] = [];
  await run(function* () {
    {
      using set = new JoinSet<number>();
      set.spawn(forever, log, 'a');
      set.spawn(forever, log, 'b');
      yield* yieldNow();
    }
    yield* yieldNow();
    yield* yieldNow();
  });
  assert.deepEqual(log.sort(), ['finally a', 'finally b']);
});

test('detachAll lets tasks run on and empties the set', async () => {
  const out = await run(function* () {
    const set = new JoinSet<number>();
    const h = set.spawn(work, 3, []);
    set.detachAll();
    const empty = yield* set.joinNext();
    while (!h.isFinished()) yield* yieldNow();
    return [empty, set.size, h.isFinished()];
  });
  assert.deepEqual(out, [undefined, 0, true]);
});

test('spawn accepts async functions and futures; spawn outside a task throws', async () => {
  async function fetchLike(n: number, signal: AbortSignal) {
    await new Promise((r) => setTimeout(r, 1));
    return signal.aborted ? -1 : n * 10;
  }
  const out = await run(function* () {
    const set = new JoinSet<number>();
    set.spawn(fetchLike, 4);
    set.spawn(ready(1));
    return (yield* set.joinAll()).sort();
  });
  assert.deepEqual(out, [1, 40]);
  assert.throws(() => new JoinSet<number>().spawn(ready(1)), /no kyoto runtime/);
});

test('a waiting joinNext wakes when a task finishes; many waiters all see the end', async () => {
  const g = new Gate<number>();
  const out = await run(function* () {
    const set = new JoinSet<number>();
    set.spawn(g);
    const r = select({ a: set.joinNext(), b: set.joinNext() });
    yield* yieldNow();
    g.open(9);
    return yield* r;
  });
  assert.equal(out.value, 9);
});

test('property: random spawn/abort/join programs: every task is joined exactly once, every finally runs once', async () => {
  const op = fc.oneof(
    fc.record({ k: fc.constant('spawn' as const), n: fc.nat(4), fail: fc.boolean() }),
    fc.record({ k: fc.constant('abort' as const), i: fc.nat(20) }),
    fc.record({ k: fc.constant('join' as const) }),
    fc.record({ k: fc.constant('tick' as const) }),
  );
  function* job(id: number, n: number, fail: boolean, finals: number[]) {
    try {
      for (let i = 0; i < n; i++) yield* yieldNow();
      if (fail) throw new Error(`job ${id}`);
      return id;
    } finally {
      finals[id] = (finals[id] ?? 0) + 1;
    }
  }
  await fc.assert(
    fc.asyncProperty(fc.array(op, { maxLength: 25 }), async (ops) => {
      const finals: number[] = [];
      const rt = new Runtime({ onUnhandledTaskError: () => assert.fail('unhandled') });
      const res = await rt.blockOn(function* () {
        const set = new JoinSet<number>();
        const handles: { abort(): void }[] = [];
        let spawned = 0;
        let joined = 0;
        const drain = function* () {
          for (;;) {
            try {
              if ((yield* set.joinNext()) === undefined) return;
              joined++;
            } catch (e) {
              assert.ok(e instanceof JoinError);
              joined++;
            }
          }
        };
        for (const o of ops) {
          if (o.k === 'spawn') handles.push(set.spawn(job, spawned++, o.n, o.fail, finals));
          else if (o.k === 'abort') handles[o.i % Math.max(1, handles.length)]?.abort();
          else if (o.k === 'tick') yield* yieldNow();
          else if (!set.isEmpty()) {
            try {
              if ((yield* set.joinNext()) !== undefined) joined++;
            } catch {
              joined++;
            }
          }
        }
        yield* drain();
        return { spawned, joined };
      });
      await rt.shutdown();
      assert.equal(res.joined, res.spawned);
      for (let i = 0; i < res.spawned; i++) assert.ok(finals[i] === undefined || finals[i] === 1, `finally of ${i} ran once or never started`);
    }),
    { numRuns: 80 },
  );
});

test('a JoinSet bound to a runtime can be filled from plain async code', async () => {
  const rt = new Runtime();
  const set = new JoinSet<number>(rt);
  set.spawn(work, 2, []);
  set.spawn(work, 1, []);
  const all = await rt.blockOn(set.joinAll());
  await rt.shutdown();
  assert.deepEqual(all, [1, 2]);
});
