/**
 * Stream benchmarks, kyoto and its peers side by side in one process run:
 *   1. a 1,000,000-item map/filter/take pipeline folded to a sum: kyoto Stream vs a plain async
 *      generator pipeline vs Effect's Stream
 *   2. bufferUnordered(16) over 100,000 short sleeps vs a p-limit-style Promise pool of 16
 *
 * Run: npm run bench:stream   (node --expose-gc dist/bench/stream.js [--quick])
 */
import { Effect, Stream as EStream } from 'effect';
import { Future, Pending, Runtime, fromIterable, fromPromise, type Context, type Poll, type Waker } from '../src/index.js';
import { median, printTable, type Row } from './util.js';

const quick = process.argv.includes('--quick');
const RUNS = quick ? 3 : 7;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

async function measure(label: string, ops: number, runs: number, fn: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  let check: unknown;
  // One full GC per subject, then an untimed run: a full GC deoptimizes code that embedded the
  // previous run's (now dead) pipeline objects, and re-optimizing is not what is measured here.
  gc();
  await fn();
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    check = await fn();
    samples.push(((performance.now() - t0) * 1e6) / ops);
  }
  const m = median(samples);
  process.stdout.write(`  ${label.padEnd(48)} ${m.toFixed(1).padStart(9)} ns/op   (result ${String(check)})\n`);
  return m;
}

// ---- 1. map / filter / take ------------------------------------------------------------------

const N = 1_000_000;
const TAKE = 450_000; // of the 500,000 values the filter keeps: take ends the pipeline early
const src: number[] = Array.from({ length: N }, (_, i) => i);
const triple = (x: number): number => x * 3;
const even = (x: number): boolean => (x & 1) === 0;
const add = (a: number, b: number): number => a + b;

const rt = new Runtime();

function kyotoPipeline(): Promise<number> {
  return rt.blockOn(fromIterable(src).map(triple).filter(even).take(TAKE).fold(0, add));
}

async function* agFrom<T>(xs: Iterable<T>): AsyncGenerator<T> {
  for (const x of xs) yield x;
}
async function* agMap<T, U>(it: AsyncIterable<T>, f: (v: T) => U): AsyncGenerator<U> {
  for await (const x of it) yield f(x);
}
async function* agFilter<T>(it: AsyncIterable<T>, f: (v: T) => boolean): AsyncGenerator<T> {
  for await (const x of it) if (f(x)) yield x;
}
async function* agTake<T>(it: AsyncIterable<T>, n: number): AsyncGenerator<T> {
  if (n <= 0) return;
  for await (const x of it) {
    yield x;
    if (--n === 0) return;
  }
}
async function asyncGenPipeline(): Promise<number> {
  let sum = 0;
  for await (const x of agTake(agFilter(agMap(agFrom(src), triple), even), TAKE)) sum += x;
  return sum;
}

function effectPipeline(): Promise<number> {
  return Effect.runPromise(
    EStream.runFold(EStream.fromIterable(src).pipe(EStream.map(triple), EStream.filter(even), EStream.take(TAKE)), () => 0, add),
  );
}

// Same pipeline in kyoto, consumed from plain async code with for await (one blockOn per value).
async function kyotoForAwait(): Promise<number> {
  let sum = 0;
  for await (const x of fromIterable(src).map(triple).filter(even).take(TAKE)) sum += x;
  return sum;
}

// ---- 2. bufferUnordered(16) over short sleeps -----------------------------------------------

/** Stand-in for kyoto's sleep until src/time lands: a setTimeout-backed future. */
class StandInSleep extends Future<void> {
  private fired = false;
  private waker: Waker | null = null;
  private handle: ReturnType<typeof setTimeout> | null = null;
  private readonly fire = (): void => {
    this.fired = true;
    this.handle = null;
    this.waker?.wake();
  };
  constructor(private readonly ms: number) {
    super();
  }
  poll(cx: Context): Poll<void> {
    if (this.fired) return undefined;
    this.waker = cx.waker.clone();
    if (this.handle === null) this.handle = setTimeout(this.fire, this.ms);
    return Pending;
  }
  override drop(): void {
    if (this.handle !== null) clearTimeout(this.handle);
    this.handle = null;
  }
}
const SLEEP_IMPL = 'stand-in setTimeout future (src/time not merged yet)';
const sleepFuture = (ms: number): Future<void> => new StandInSleep(ms);

const SLEEPS = quick ? 20_000 : 100_000;
const CONC = 16;
const SLEEP_MS = 1;

function sleepFor(_i: number): Future<void> {
  return sleepFuture(SLEEP_MS);
}
function kyotoBufferUnordered(): Promise<number> {
  return rt.blockOn(
    fromIterable(range(SLEEPS))
      .map(sleepFor)
      .bufferUnordered(CONC)
      .fold(0, (n) => n + 1),
  );
}
function* range(n: number): Generator<number> {
  for (let i = 0; i < n; i++) yield i;
}

const sleepPromise = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A p-limit-style pool: at most `limit` promise-returning jobs in flight, FIFO queue. */
function pLimit(limit: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: (() => void)[] = [];
  const next = (): void => {
    active--;
    const run = queue.shift();
    if (run !== undefined) run();
  };
  return <T>(fn: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const run = (): void => {
        active++;
        fn().then(resolve, reject).finally(next);
      };
      if (active < limit) run();
      else queue.push(run);
    });
}
async function promisePool(): Promise<number> {
  const limit = pLimit(CONC);
  let done = 0;
  const ps: Promise<void>[] = [];
  for (let i = 0; i < SLEEPS; i++) ps.push(limit(() => sleepPromise(SLEEP_MS)).then(() => void done++));
  await Promise.all(ps);
  return done;
}

// The same kyoto pipeline over promise-returning sleeps (what a user migrating from p-limit writes).
function kyotoBufferUnorderedPromises(): Promise<number> {
  return rt.blockOn(
    fromIterable(range(SLEEPS))
      .map(() => fromPromise(sleepPromise(SLEEP_MS)))
      .bufferUnordered(CONC)
      .fold(0, (n) => n + 1),
  );
}

// ---- main --------------------------------------------------------------------------------------

async function main(): Promise<void> {
  console.log(`kyoto stream benchmarks (${RUNS} runs, median; Node ${process.version})`);
  const rows: Row[] = [];

  console.log(`\n1. ${N.toLocaleString()}-item map/filter/take(${TAKE.toLocaleString()}) pipeline, folded to a sum (ns per source item)`);
  // Warm-up, so that every subject is compiled before it is timed.
  for (let w = 0; w < 3; w++) {
    await kyotoPipeline();
    await asyncGenPipeline();
    await effectPipeline();
  }
  const k = await measure('kyoto Stream (fold in a task)', N, RUNS, kyotoPipeline);
  const ag = await measure('async generator pipeline (for await)', N, RUNS, asyncGenPipeline);
  const ef = await measure('Effect 4 Stream (runFold)', N, RUNS, effectPipeline);
  const kfa = await measure('kyoto Stream consumed with for await', N, Math.min(RUNS, 3), kyotoForAwait);
  rows.push({ bench: 'map/filter/take 1M', subject: 'kyoto Stream', value: k, unit: 'ns/item', vsNative: ag / k, vsEffect: ef / k });
  rows.push({ bench: 'map/filter/take 1M', subject: 'async generators', value: ag, unit: 'ns/item' });
  rows.push({ bench: 'map/filter/take 1M', subject: 'Effect Stream', value: ef, unit: 'ns/item' });
  rows.push({ bench: 'map/filter/take 1M', subject: 'kyoto, for await', value: kfa, unit: 'ns/item', vsNative: ag / kfa, vsEffect: ef / kfa });

  console.log(`\n2. ${SLEEPS.toLocaleString()} sleeps of ${SLEEP_MS} ms, ${CONC} at a time (ns per sleep, wall clock; timer: ${SLEEP_IMPL})`);
  const sleepRuns = quick ? 1 : 3;
  const bk = await measure('kyoto bufferUnordered(16), kyoto sleep', SLEEPS, sleepRuns, kyotoBufferUnordered);
  const bp = await measure('p-limit-style Promise pool(16), setTimeout', SLEEPS, sleepRuns, promisePool);
  const bkp = await measure('kyoto bufferUnordered(16), setTimeout promises', SLEEPS, sleepRuns, kyotoBufferUnorderedPromises);
  rows.push({ bench: 'bufferUnordered(16) sleeps', subject: 'kyoto sleep', value: bk, unit: 'ns/sleep', vsNative: bp / bk });
  rows.push({ bench: 'bufferUnordered(16) sleeps', subject: 'Promise pool', value: bp, unit: 'ns/sleep' });
  rows.push({ bench: 'bufferUnordered(16) sleeps', subject: 'kyoto, promises', value: bkp, unit: 'ns/sleep', vsNative: bp / bkp });

  console.log('\nSummary (ratios: peer / kyoto, > 1 means kyoto is faster; "native" = async generators / Promise pool)');
  printTable(rows);
  await rt.shutdown();
}

await main();
