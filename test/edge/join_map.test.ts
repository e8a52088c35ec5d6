import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JoinError, JoinMap, pending, run, select, yieldNow, type Gen, type KeyedJoinError } from '../../src/index.js';

function* work(n: number, log: string[]): Gen<number> {
  try {
    for (let i = 0; i < n; i++) yield* yieldNow();
    return n;
  } finally {
    log.push(`finally ${n}`);
  }
}

function* forever(log: string[], id: string): Gen<number> {
  try {
    return yield* pending<number>();
  } finally {
    log.push(`finally ${id}`);
  }
}

test('joinNext gives [key, output] in completion order; keys stay until joined', async () => {
  const log: string[] = [];
  const got = await run(function* main() {
    const m = new JoinMap<string, number>();
    m.spawn('three', work, 3, log);
    m.spawn('one', work, 1, log);
    m.spawnNamed('two', 'task two', work, 2, log);
    assert.equal(m.len, 3);
    assert.deepEqual([...m.keys()].sort(), ['one', 'three', 'two']);
    const out: [string, number][] = [];
    let r: [string, number] | undefined;
    while ((r = yield* m.joinNext()) !== undefined) {
      out.push(r);
      assert.equal(m.has(r[0]), false);
    }
    assert.equal(m.isEmpty(), true);
    return out;
  });
  assert.deepEqual(got, [['one', 1], ['two', 2], ['three', 3]]);
});

test('spawning under a taken key aborts the old task, which joinNext never reports', async () => {
  const log: string[] = [];
  const got = await run(function* main() {
    const m = new JoinMap<string, number>();
    m.spawn('k', forever, log, 'old');
    yield* yieldNow();
    m.spawn('k', work, 2, log);
    assert.equal(m.len, 1);
    const out: unknown[] = [];
    let r: [string, number] | undefined;
    while ((r = yield* m.joinNext()) !== undefined) out.push(r);
    return out;
  });
  assert.deepEqual(got, [['k', 2]]);
  assert.deepEqual(log.sort(), ['finally 2', 'finally old']);
});

test('abort(key) and failures come back as JoinErrors carrying the key', async () => {
  const log: string[] = [];
  const errs = await run(function* main() {
    const m = new JoinMap<number, number>();
    m.spawn(1, forever, log, 'one');
    m.spawn(2, function* fails(): Gen<number> {
      yield* yieldNow();
      throw new Error('two failed');
    });
    yield* yieldNow(); // both started
    assert.equal(m.abort(1), true);
    assert.equal(m.abort(99), false);
    const out: string[] = [];
    for (;;) {
      try {
        if ((yield* m.joinNext()) === undefined) break;
      } catch (e) {
        assert.ok(e instanceof JoinError);
        const k = (e as KeyedJoinError<number>).key;
        out.push(`${k}: ${e.isCancelled() ? 'cancelled' : (e.cause as Error).message}`);
      }
    }
    return out.sort();
  });
  assert.deepEqual(errs, ['1: cancelled', '2: two failed']);
  assert.deepEqual(log, ['finally one']);
});

test('joinNext is cancel-safe: a dropped joinNext loses no outcome', async () => {
  const got = await run(function* main() {
    const m = new JoinMap<string, number>();
    m.spawn('a', work, 3, []);
    m.spawn('b', work, 6, []);
    const out: string[] = [];
    while (!m.isEmpty()) {
      const r = yield* select({ next: m.joinNext(), tick: yieldNow() }, { biased: false });
      if (r.key === 'next' && r.value !== undefined) out.push(r.value[0]);
    }
    return out;
  });
  assert.deepEqual(got, ['a', 'b']);
});

test('using a JoinMap aborts every task in it at the end of the block; abortAll too', async () => {
  const log: string[] = [];
  await run(function* main() {
    {
      using m = new JoinMap<string, number>();
      m.spawn('x', forever, log, 'x');
      m.spawn('y', forever, log, 'y');
      yield* yieldNow();
    }
    yield* yieldNow();
    const m2 = new JoinMap<string, number>();
    m2.spawn('z', forever, log, 'z');
    yield* yieldNow();
    m2.abortAll();
    try {
      yield* m2.joinNext();
    } catch (e) {
      assert.equal((e as KeyedJoinError<string>).key, 'z');
    }
  });
  assert.deepEqual(log.sort(), ['finally x', 'finally y', 'finally z']);
});
