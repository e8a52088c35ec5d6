import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Runtime, fromIterable, ready, sleep, type Sleep, type Stream } from '../../src/index.js';
import { Probe } from './probe.js';

/** One combinator, applied to a kyoto stream and to an array (the model). */
type Op =
  | { kind: 'map'; k: number; c: number }
  | { kind: 'filter'; m: number }
  | { kind: 'filterMap'; m: number }
  | { kind: 'take'; n: number }
  | { kind: 'takeWhile'; below: number }
  | { kind: 'skip'; n: number }
  | { kind: 'chunksSum'; n: number }
  | { kind: 'chain'; xs: number[] }
  | { kind: 'zipAdd'; xs: number[] }
  | { kind: 'merge'; xs: number[] }
  | { kind: 'buffered'; n: number }
  | { kind: 'bufferUnordered'; n: number };

const small = fc.integer({ min: -20, max: 20 });
const arr = fc.array(small, { maxLength: 12 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('map' as const), k: fc.integer({ min: -3, max: 3 }), c: small }),
  fc.record({ kind: fc.constant('filter' as const), m: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant('filterMap' as const), m: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant('take' as const), n: fc.integer({ min: 0, max: 15 }) }),
  fc.record({ kind: fc.constant('takeWhile' as const), below: fc.integer({ min: -10, max: 30 }) }),
  fc.record({ kind: fc.constant('skip' as const), n: fc.integer({ min: 0, max: 6 }) }),
  fc.record({ kind: fc.constant('chunksSum' as const), n: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant('chain' as const), xs: arr }),
  fc.record({ kind: fc.constant('zipAdd' as const), xs: arr }),
  fc.record({ kind: fc.constant('merge' as const), xs: arr }),
  fc.record({ kind: fc.constant('buffered' as const), n: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant('bufferUnordered' as const), n: fc.integer({ min: 1, max: 4 }) }),
);

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
const mod = (x: number, m: number): number => ((x % m) + m) % m;

function applyArray(xs: number[], op: Op): number[] {
  switch (op.kind) {
    case 'map':
      return xs.map((x) => x * op.k + op.c);
    case 'filter':
      return xs.filter((x) => mod(x, op.m) === 0);
    case 'filterMap':
      return xs.flatMap((x) => (mod(x, op.m) === 0 ? [x * 2] : []));
    case 'take':
      return xs.slice(0, op.n);
    case 'takeWhile': {
      const i = xs.findIndex((x) => !(x < op.below));
      return i < 0 ? xs : xs.slice(0, i);
    }
    case 'skip':
      return xs.slice(op.n);
    case 'chunksSum': {
      const out: number[] = [];
      for (let i = 0; i < xs.length; i += op.n) out.push(sum(xs.slice(i, i + op.n)));
      return out;
    }
    case 'chain':
      return [...xs, ...op.xs];
    case 'zipAdd':
      return xs.slice(0, Math.min(xs.length, op.xs.length)).map((x, i) => x + (op.xs[i] as number));
    case 'merge': {
      // Both sides always ready: strict alternation, the upstream first, then the rest.
      const out: number[] = [];
      const n = Math.max(xs.length, op.xs.length);
      for (let i = 0; i < n; i++) {
        if (i < xs.length) out.push(xs[i] as number);
        if (i < op.xs.length) out.push(op.xs[i] as number);
      }
      return out;
    }
    case 'buffered':
    case 'bufferUnordered':
      return xs;
  }
}

function applyStream(s: Stream<number>, op: Op): Stream<number> {
  switch (op.kind) {
    case 'map':
      return s.map((x) => x * op.k + op.c);
    case 'filter':
      return s.filter((x) => mod(x, op.m) === 0);
    case 'filterMap':
      return s.filterMap((x) => (mod(x, op.m) === 0 ? x * 2 : undefined));
    case 'take':
      return s.take(op.n);
    case 'takeWhile':
      return s.takeWhile((x) => x < op.below);
    case 'skip':
      return s.skip(op.n);
    case 'chunksSum':
      return s.chunks(op.n).map(sum);
    case 'chain':
      return s.chain(fromIterable(op.xs));
    case 'zipAdd':
      return s.zip(fromIterable(op.xs)).map(([a, b]) => a + b);
    case 'merge':
      return s.merge(fromIterable(op.xs));
    case 'buffered':
      return s.map((x) => ready(x)).buffered(op.n);
    case 'bufferUnordered':
      // Futures that are ready at once complete in stream order.
      return s.map((x) => ready(x)).bufferUnordered(op.n);
  }
}

const rt = new Runtime();

function* nextAll(s: Stream<number>) {
  const out: number[] = [];
  let v: number | undefined;
  while ((v = yield* s.next()) !== undefined) out.push(v);
  s.drop();
  return out;
}

test('property: a pipeline of random combinators equals the same pipeline on arrays', async () => {
  await fc.assert(
    fc.asyncProperty(arr, fc.array(opArb, { maxLength: 6 }), async (xs, ops) => {
      const expected = ops.reduce(applyArray, xs);
      const src = new Probe(xs);
      const s = ops.reduce(applyStream, src as Stream<number>);
      const got = await rt.blockOn(s.collect());
      assert.deepEqual(got, expected);
      assert.equal(src.drops, 1, 'the source is dropped exactly once');
      const folded = await rt.blockOn(ops.reduce(applyStream, fromIterable(xs)).fold(0, (a, b) => a + b));
      assert.equal(folded, sum(expected));
      // One value at a time through pollNext (the terminal futures use the pollEach batch path).
      const src2 = new Probe(xs);
      assert.deepEqual(await rt.blockOn(nextAll, ops.reduce(applyStream, src2 as Stream<number>)), expected);
      assert.equal(src2.drops, 1);
    }),
    { numRuns: 300 },
  );
});

test('property: the same holds when the source is Pending between values (no merge)', async () => {
  const noMerge = opArb.filter((op) => op.kind !== 'merge');
  await fc.assert(
    fc.asyncProperty(arr, fc.array(noMerge, { maxLength: 6 }), async (xs, ops) => {
      const expected = ops.reduce(applyArray, xs);
      const src = new Probe(xs, { interleavePending: true });
      const got = await rt.blockOn(ops.reduce(applyStream, src as Stream<number>).collect());
      assert.deepEqual(got, expected);
      assert.equal(src.drops, 1);
    }),
    { numRuns: 200 },
  );
});

test('property: dropping a random pipeline after k values drops the source exactly once', async () => {
  await fc.assert(
    fc.asyncProperty(arr, fc.array(opArb, { maxLength: 5 }), fc.nat(5), async (xs, ops, k) => {
      const src = new Probe(xs, { endless: true });
      // The last stage is a combinator, so dropping the pipeline twice is a combinator's business.
      const s = ops.reduce(applyStream, src as Stream<number>).map((x) => x);
      // Polled by hand with a waker that does nothing: an endless source never ends a pipeline
      // that needs more values, so stop at the first value that cannot come yet.
      const cx = { waker: { wake() {}, wakeByRef() {}, clone() { return this; }, willWake: () => false } };
      for (let i = 0; i < k; i++) {
        const v = s.pollNext(cx);
        if (typeof v === 'symbol') break;
      }
      s.drop();
      s.drop();
      assert.equal(src.drops, 1);
    }),
    { numRuns: 200 },
  );
});

function* consumeThenDrop(s: Stream<unknown>, k: number) {
  for (let i = 0; i < k; i++) if ((yield* s.next()) === undefined) break;
  s.drop();
}

test('property: dropping time-based pipelines part-way leaves no timer armed', async () => {
  const timed = fc.oneof(
    fc.record({ kind: fc.constant('buffered' as const), n: fc.integer({ min: 1, max: 4 }), ordered: fc.boolean() }),
    fc.record({ kind: fc.constant('chunksTimeout' as const), n: fc.integer({ min: 1, max: 4 }), ms: fc.integer({ min: 1, max: 50 }) }),
    fc.record({ kind: fc.constant('throttle' as const), ms: fc.integer({ min: 0, max: 50 }) }),
    fc.record({ kind: fc.constant('timeout' as const), ms: fc.integer({ min: 200, max: 500 }) }),
  );
  await fc.assert(
    fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 100 }), { maxLength: 10 }), timed, fc.nat(6), async (delays, op, k) => {
      const prt = new Runtime({ startPaused: true });
      // A source that sleeps before each value, so the stream really waits on timers.
      let s: Stream<unknown> = fromIterable(delays)
        .map((ms) => sleep(ms))
        .buffered(1);
      if (op.kind === 'buffered') {
        s = fromIterable(delays).map((ms) => sleep(ms));
        s = op.ordered ? (s as Stream<Sleep>).buffered(op.n) : (s as Stream<Sleep>).bufferUnordered(op.n);
      } else if (op.kind === 'chunksTimeout') s = s.chunksTimeout(op.n, op.ms);
      else if (op.kind === 'throttle') s = s.throttle(op.ms);
      else s = s.timeout(op.ms);
      await prt.blockOn(consumeThenDrop, s, k);
      assert.equal(prt.metrics()['timerArmedCount' as keyof ReturnType<typeof prt.metrics>], 0);
      await prt.shutdown();
    }),
    { numRuns: 100 },
  );
});
