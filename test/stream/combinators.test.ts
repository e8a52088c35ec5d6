import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Done,
  Pending,
  Stream,
  StreamArgumentError,
  fromIterable,
  ready,
  run,
  yieldNow,
  type Context,
  type StreamPoll,
} from '../../src/index.js';
import { Probe, collect } from './probe.js';

type Pipe = (s: Stream<number>) => Stream<unknown>;

/** Every single-upstream combinator, with what it makes of [1..8]. */
const CASES: [string, Pipe, unknown[]][] = [
  ['map', (s) => s.map((x) => x * 10), [10, 20, 30, 40, 50, 60, 70, 80]],
  ['filter', (s) => s.filter((x) => x % 3 === 0), [3, 6]],
  ['filterMap', (s) => s.filterMap((x) => (x % 2 === 0 ? `e${x}` : undefined)), ['e2', 'e4', 'e6', 'e8']],
  ['take', (s) => s.take(3), [1, 2, 3]],
  ['takeWhile', (s) => s.takeWhile((x) => x < 4), [1, 2, 3]],
  ['skip', (s) => s.skip(5), [6, 7, 8]],
  ['chunks', (s) => s.chunks(3), [[1, 2, 3], [4, 5, 6], [7, 8]]],
  ['chunksTimeout', (s) => s.chunksTimeout(3, 60_000), [[1, 2, 3], [4, 5, 6], [7, 8]]],
  ['throttle', (s) => s.throttle(0), [1, 2, 3, 4, 5, 6, 7, 8]],
  ['timeout', (s) => s.timeout(60_000), [1, 2, 3, 4, 5, 6, 7, 8]],
  ['chain (first)', (s) => s.chain(fromIterable([100])), [1, 2, 3, 4, 5, 6, 7, 8, 100]],
  ['chain (second)', (s) => fromIterable([0]).chain(s), [0, 1, 2, 3, 4, 5, 6, 7, 8]],
  ['merge', (s) => s.merge(fromIterable<number>([])), [1, 2, 3, 4, 5, 6, 7, 8]],
  ['zip', (s) => s.zip(fromIterable('abcdefghij')), [[1, 'a'], [2, 'b'], [3, 'c'], [4, 'd'], [5, 'e'], [6, 'f'], [7, 'g'], [8, 'h']]],
  ['bufferUnordered', (s) => s.map((x) => ready(x)).bufferUnordered(3), [1, 2, 3, 4, 5, 6, 7, 8]],
  ['buffered', (s) => s.map((x) => ready(x)).buffered(3), [1, 2, 3, 4, 5, 6, 7, 8]],
];
const ITEMS = [1, 2, 3, 4, 5, 6, 7, 8];

for (const [name, pipe, expected] of CASES) {
  test(`${name}: order`, async () => {
    assert.deepEqual(await collect(pipe(new Probe(ITEMS))), expected);
  });

  test(`${name}: same values when the source is Pending between values`, async () => {
    assert.deepEqual(await collect(pipe(new Probe(ITEMS, { interleavePending: true }))), expected);
  });

  test(`${name}: lazy, nothing is pulled before the stream is polled`, () => {
    const p = new Probe(ITEMS);
    const s = pipe(p);
    s.collect(); // a terminal future is lazy too
    assert.equal(p.polls, 0);
    s.drop();
    assert.equal(p.drops, 1);
  });

  test(`${name}: dropped mid-way, the source's drop runs exactly once`, async () => {
    const p = new Probe(ITEMS, { endless: true });
    const first = await run(function* () {
      const s = pipe(p);
      const v = yield* s.next();
      s.drop();
      s.drop();
      return v;
    });
    assert.deepEqual(first, expected[0]);
    assert.equal(p.drops, 1);
  });

  test(`${name}: run to the end, the source's drop runs exactly once`, async () => {
    const p = new Probe(ITEMS);
    const s = pipe(p);
    await collect(s);
    s.drop();
    assert.equal(p.drops, 1);
  });

  test(`${name}: an error in the source ends the stream with that error`, async () => {
    const boom = new Error('source failed');
    const p = new Probe(ITEMS, { failAt: 0, error: boom });
    await assert.rejects(collect(pipe(p)), (e) => e === boom);
    assert.equal(p.drops, 1);
  });
}

test('the combinators are lazy in how much they pull: take(2) of map pulls 2 values', async () => {
  const p = new Probe(ITEMS, { endless: true });
  const out = await collect(p.map((x) => x + 1).take(2));
  assert.deepEqual(out, [2, 3]);
  assert.equal(p.pulled, 2);
  assert.equal(p.drops, 1, 'take drops its upstream once the last value is out');
});

test('take(0) pulls nothing and drops the source', async () => {
  const p = new Probe(ITEMS);
  assert.deepEqual(await collect(p.take(0)), []);
  assert.equal(p.polls, 0);
  assert.equal(p.drops, 1);
});

test('takeWhile stops pulling at the first false', async () => {
  const p = new Probe(ITEMS);
  assert.deepEqual(await collect(p.takeWhile((x) => x !== 3)), [1, 2]);
  assert.equal(p.pulled, 3);
});

test('a mapper error ends the stream with that error and drops the source once', async () => {
  const boom = new TypeError('bad value 3');
  const pipes: Pipe[] = [
    (s) => s.map((x) => { if (x === 3) throw boom; return x; }),
    (s) => s.filter((x) => { if (x === 3) throw boom; return true; }),
    (s) => s.filterMap((x) => { if (x === 3) throw boom; return x; }),
    (s) => s.takeWhile((x) => { if (x === 3) throw boom; return true; }),
  ];
  for (const pipe of pipes) {
    const p = new Probe(ITEMS);
    await assert.rejects(collect(pipe(p)), (e) => e === boom);
    assert.equal(p.drops, 1);
  }
  const p = new Probe(ITEMS);
  await assert.rejects(run(p.fold(0, (a, x) => { if (x === 3) throw boom; return a + x; })), (e) => e === boom);
  assert.equal(p.drops, 1);
  const q = new Probe(ITEMS);
  await assert.rejects(run(q.forEach((x) => { if (x === 3) throw boom; })), (e) => e === boom);
  assert.equal(q.drops, 1);
});

test('merge interleaves fairly and ends when both ended; drops both once', async () => {
  const a = new Probe([1, 2, 3]);
  const b = new Probe([10, 20, 30, 40, 50]);
  const out = await collect(a.merge(b));
  assert.deepEqual(out, [1, 10, 2, 20, 3, 30, 40, 50]);
  assert.equal(a.drops, 1);
  assert.equal(b.drops, 1);
});

test('merge: a pending side does not block the other', async () => {
  const a = new Probe([1], { endless: true });
  const b = new Probe([10, 20]);
  const out = await run(function* () {
    const s = a.merge(b);
    const got = [yield* s.next(), yield* s.next(), yield* s.next()];
    s.drop();
    return got;
  });
  assert.deepEqual(out, [1, 10, 20]);
  assert.equal(a.drops, 1);
  assert.equal(b.drops, 1);
});

test('zip pairs in order, ends with the shorter side, drops both once', async () => {
  const a = new Probe([1, 2, 3, 4]);
  const b = new Probe(['a', 'b'], { interleavePending: true });
  assert.deepEqual(await collect(a.zip(b)), [[1, 'a'], [2, 'b']]);
  assert.equal(a.drops, 1);
  assert.equal(b.drops, 1);
  assert.equal(a.pulled, 3, 'the third value of a waits for a partner, then the zip ends');
});

test('chain polls the second stream only after the first ended', async () => {
  const a = new Probe([1, 2]);
  const b = new Probe([3]);
  await run(function* () {
    const s = a.chain(b);
    assert.equal(yield* s.next(), 1);
    assert.equal(b.polls, 0);
    assert.equal(yield* s.next(), 2);
    assert.equal(yield* s.next(), 3);
    assert.equal(a.drops, 1, 'the first stream is released as soon as it ends');
    assert.equal(yield* s.next(), undefined);
    s.drop();
  });
  assert.equal(b.drops, 1);
});

test('chunks emits full chunks only (the partial one at the end)', async () => {
  const p = new Probe([1, 2, 3, 4, 5], { endless: true });
  const out = await run(function* () {
    const s = p.chunks(2);
    const got = [yield* s.next(), yield* s.next()];
    s.drop();
    return got;
  });
  assert.deepEqual(out, [[1, 2], [3, 4]]);
});

test('skip counts across Pending', async () => {
  const p = new Probe([1, 2, 3, 4], { interleavePending: true });
  assert.deepEqual(await collect(p.skip(3)), [4]);
});

test('next() ends with undefined; pull() ends with Done', async () => {
  const out = await run(function* () {
    const s = fromIterable([undefined, 1]);
    const got: unknown[] = [];
    for (let v; (v = yield* s.pull()) !== Done; ) got.push(v);
    const t = fromIterable([5, 6]);
    let w: number | undefined;
    while ((w = yield* t.next()) !== undefined) got.push(w);
    got.push(yield* t.next());
    return got;
  });
  assert.deepEqual(out, [undefined, 1, 5, 6, undefined]);
});

test('next() is cancel-safe: dropping the awaiting future loses no value', async () => {
  const p = new Probe([1, 2, 3], { interleavePending: true });
  const n = p.next();
  n.drop();
  assert.equal(p.drops, 0);
  assert.deepEqual(await collect(p), [1, 2, 3]);
});

test('fold, collect and forEach; forEach awaits what the callback returns', async () => {
  function* slowPush(out: number[], x: number) {
    yield* yieldNow();
    out.push(x);
  }
  const out = await run(function* () {
    const sum = yield* fromIterable([1, 2, 3]).fold(0, (a, x) => a + x);
    const all = yield* fromIterable('ab').collect();
    const seen: number[] = [];
    yield* fromIterable([1, 2, 3]).forEach((x) => slowPush(seen, x));
    yield* fromIterable([4]).forEach((x) => void seen.push(x));
    return { sum, all, seen };
  });
  assert.deepEqual(out, { sum: 6, all: ['a', 'b'], seen: [1, 2, 3, 4] });
});

test('dropping a terminal future drops its stream once', async () => {
  const p = new Probe([1], { endless: true });
  const f = p.map((x) => x).fold(0, (a, x) => a + x);
  await run(function* () {
    const s = f;
    // Poll it once (it stays pending: the source is endless), then abandon it.
    const r = s.poll({ waker: { wake() {}, wakeByRef() {}, clone() { return this; }, willWake() { return false; } } });
    assert.equal(r, Pending);
    s.drop();
    s.drop();
  });
  assert.equal(p.drops, 1);
});

test('Stream is Disposable: `using` drops it', async () => {
  const p = new Probe([1, 2], { endless: true });
  await run(function* () {
    using s = p.map((x) => x);
    yield* s.next();
  });
  assert.equal(p.drops, 1);
});

test('a user-written stream works with every terminal', async () => {
  class Countdown extends Stream<number> {
    constructor(private n: number) {
      super();
    }
    pollNext(_cx: Context): StreamPoll<number> {
      return this.n > 0 ? this.n-- : Done;
    }
  }
  assert.deepEqual(await collect(new Countdown(3)), [3, 2, 1]);
});

test('bad arguments throw typed errors naming the value', () => {
  const s = fromIterable([1]);
  assert.throws(() => s.take(-1), (e: unknown) => e instanceof StreamArgumentError && /take\(n\).*-1/.test(e.message));
  assert.throws(() => s.skip(1.5), (e: unknown) => e instanceof StreamArgumentError && /1\.5/.test(e.message));
  assert.throws(() => s.chunks(0), (e: unknown) => e instanceof StreamArgumentError && /chunks/.test(e.message));
  assert.throws(() => s.throttle(Number.NaN), (e: unknown) => e instanceof StreamArgumentError && /NaN/.test(e.message));
  assert.throws(() => s.timeout(-5), (e: unknown) => e instanceof StreamArgumentError && /-5/.test(e.message));
  assert.throws(() => s.map(5 as unknown as (x: number) => number), TypeError);
  assert.throws(() => s.merge([1] as unknown as Stream<number>), /merge\(other\): expected a Stream/);
  assert.throws(() => fromIterable(5 as unknown as number[]), /fromIterable: expected an iterable, got 5/);
});

test('merge, zip, chain: an error in the second stream ends the stream, both sources dropped once', async () => {
  const makers: [string, (a: Stream<number>, b: Stream<number>) => Stream<unknown>][] = [
    ['merge', (a, b) => a.merge(b)],
    ['zip', (a, b) => a.zip(b)],
    ['chain', (a, b) => a.chain(b)],
  ];
  for (const [name, make] of makers) {
    const boom = new Error(`${name}: second failed`);
    const a = new Probe([1, 2, 3]);
    const b = new Probe([10, 20], { failAt: 1, error: boom });
    await assert.rejects(collect(make(a, b)), (e) => e === boom, name);
    assert.equal(a.drops, 1, name);
    assert.equal(b.drops, 1, name);
  }
});

test('chunks and chunksTimeout: an error after a partial chunk ends the stream with it', async () => {
  const boom = new Error('mid-chunk');
  for (const make of [(s: Stream<number>) => s.chunks(3), (s: Stream<number>) => s.chunksTimeout(3, 60_000)]) {
    const p = new Probe([1, 2, 3, 4], { failAt: 4, error: boom });
    const got: number[][] = [];
    await assert.rejects(run(make(p).forEach((c) => void got.push(c))), (e) => e === boom);
    assert.deepEqual(got, [[1, 2, 3]]);
    assert.equal(p.drops, 1);
  }
});
