/**
 * Stream benchmarks, kyoto and its peers side by side in one process run:
 *   1. a 1,000,000-item map/filter/take pipeline folded to a sum: kyoto Stream vs a plain async
 *      generator pipeline vs Effect's Stream
 *   2. bufferUnordered(16) over 100,000 short sleeps vs a p-limit-style Promise pool of 16
 *
 * Run: npm run bench:stream   (node --expose-gc dist/bench/stream.js [--quick])
 */
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { Effect, Stream as EStream } from 'effect';
import { Runtime, fromIterable, fromPromise, sleep, type Future } from '../src/index.js';
import { median, type Row } from './util.js';

const quick = process.argv.includes('--quick');
const RUNS = quick ? 3 : 7;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

async function measure(label: string, ops: number, runs: number, fn: () => Promise<unknown>, cpu = false): Promise<number> {
  const samples: number[] = [];
  const cpuSamples: number[] = [];
  let check: unknown;
  // One full GC per subject, then an untimed run: a full GC deoptimizes code that embedded the
  // previous run's (now dead) pipeline objects, and re-optimizing is not what is measured here.
  gc();
  await fn();
  await settleGcEntries();
  gcEvents = 0;
  for (let r = 0; r < runs; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    check = await fn();
    samples.push(((performance.now() - t0) * 1e6) / ops);
    const c = process.cpuUsage(c0);
    cpuSamples.push(((c.user + c.system) * 1e3) / ops);
  }
  const m = median(samples);
  const cpuNote = cpu ? `, CPU ${median(cpuSamples).toFixed(0)} ns/op` : '';
  // GC entries reach the observer asynchronously: let them arrive before reading the count.
  await settleGcEntries();
  const gcNote = `, ${(gcEvents / runs).toFixed(1)} minor GCs/run`;
  process.stdout.write(`  ${label.padEnd(48)} ${m.toFixed(1).padStart(9)} ns/op${cpuNote}${gcNote}   (result ${String(check)})\n`);
  lastCpu = median(cpuSamples);
  return m;
}

/** Young-generation (scavenge) collections seen since the counter was reset: allocation evidence. */
let gcEvents = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    if ((e as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) gcEvents++;
  }
}).observe({ entryTypes: ['gc'] });

function settleGcEntries(): Promise<void> {
  return new Promise((r) => setTimeout(r, 30));
}

/** CPU time per op of the last measurement (user + system). */
let lastCpu = 0;

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

// Same pipeline in kyoto, consumed value by value in a task: while ((v = yield* s.next()) ...).
function* sumByNext(s: ReturnType<typeof kyotoStream>) {
  let acc = 0;
  let v: number | undefined;
  while ((v = yield* s.next()) !== undefined) acc += v;
  return acc;
}
function kyotoStream() {
  return fromIterable(src).map(triple).filter(even).take(TAKE);
}
function kyotoNextLoop(): Promise<number> {
  return rt.blockOn(sumByNext, kyotoStream());
}

// Same pipeline in kyoto, consumed from plain async code with for await (one blockOn per value).
async function kyotoForAwait(): Promise<number> {
  let sum = 0;
  for await (const x of fromIterable(src).map(triple).filter(even).take(TAKE)) sum += x;
  return sum;
}

// ---- 2. bufferUnordered(16) over short sleeps -----------------------------------------------

const SLEEPS = quick ? 20_000 : 100_000;
const CONC = 16;
const SLEEP_MS = 1;

function sleepFor(_i: number): Future<void> {
  return sleep(SLEEP_MS);
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

/**
 * A p-limit-style pool: at most `limit` promise-returning jobs in flight, the rest in a FIFO
 * queue (an array read from a moving head: O(1) per job, like p-limit's linked queue).
 */
function pLimit(limit: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  let queue: (() => void)[] = [];
  let head = 0;
  const next = (): void => {
    active--;
    if (head < queue.length) {
      const run = queue[head]!;
      queue[head++] = undefined as unknown as () => void;
      if (head === queue.length) {
        queue = [];
        head = 0;
      }
      run();
    }
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

/** The summary as a Markdown table (one decimal: the pipeline figures are a few ns). */
function printTable(rows: readonly Row[]): void {
  const fmt = (x: number | undefined): string => (x === undefined ? '' : `${x.toFixed(2)}x`);
  console.log('| benchmark | subject | value | vs native | vs Effect |');
  console.log('|---|---|---|---|---|');
  for (const r of rows) {
    const v = r.value < 100 ? r.value.toFixed(1) : r.value.toFixed(0);
    console.log(`| ${r.bench} | ${r.subject} | ${v} ${r.unit} | ${fmt(r.vsNative)} | ${fmt(r.vsEffect)} |`);
  }
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
  const kn = await measure('kyoto Stream, while (yield* s.next()) in a task', N, RUNS, kyotoNextLoop);
  const kfa = await measure('kyoto Stream consumed with for await', N, Math.min(RUNS, 3), kyotoForAwait);
  rows.push({ bench: 'map/filter/take 1M', subject: 'kyoto Stream', value: k, unit: 'ns/item', vsNative: ag / k, vsEffect: ef / k });
  rows.push({ bench: 'map/filter/take 1M', subject: 'async generators', value: ag, unit: 'ns/item' });
  rows.push({ bench: 'map/filter/take 1M', subject: 'Effect Stream', value: ef, unit: 'ns/item' });
  rows.push({ bench: 'map/filter/take 1M', subject: 'kyoto, next() loop', value: kn, unit: 'ns/item', vsNative: ag / kn, vsEffect: ef / kn });
  rows.push({ bench: 'map/filter/take 1M', subject: 'kyoto, for await', value: kfa, unit: 'ns/item', vsNative: ag / kfa, vsEffect: ef / kfa });

  console.log(`\n2. ${SLEEPS.toLocaleString()} sleeps of ${SLEEP_MS} ms, ${CONC} at a time (ns per sleep, wall clock)`);
  const sleepRuns = quick ? 1 : 3;
  const bk = await measure('kyoto bufferUnordered(16), kyoto sleep', SLEEPS, sleepRuns, kyotoBufferUnordered, true);
  const bkc = lastCpu;
  const bp = await measure('p-limit-style Promise pool(16), setTimeout', SLEEPS, sleepRuns, promisePool, true);
  const bpc = lastCpu;
  const bkp = await measure('kyoto bufferUnordered(16), setTimeout promises', SLEEPS, sleepRuns, kyotoBufferUnorderedPromises, true);
  const bkpc = lastCpu;
  rows.push({ bench: 'bufferUnordered(16) sleeps, wall', subject: 'kyoto sleep', value: bk, unit: 'ns/sleep', vsNative: bp / bk });
  rows.push({ bench: 'bufferUnordered(16) sleeps, wall', subject: 'Promise pool', value: bp, unit: 'ns/sleep' });
  rows.push({ bench: 'bufferUnordered(16) sleeps, wall', subject: 'kyoto, promises', value: bkp, unit: 'ns/sleep', vsNative: bp / bkp });
  rows.push({ bench: 'bufferUnordered(16) sleeps, CPU', subject: 'kyoto sleep', value: bkc, unit: 'ns/sleep', vsNative: bpc / bkc });
  rows.push({ bench: 'bufferUnordered(16) sleeps, CPU', subject: 'Promise pool', value: bpc, unit: 'ns/sleep' });
  rows.push({ bench: 'bufferUnordered(16) sleeps, CPU', subject: 'kyoto, promises', value: bkpc, unit: 'ns/sleep', vsNative: bpc / bkpc });

  console.log('\nSummary (ratios: peer / kyoto, > 1 means kyoto is faster; "native" = async generators / Promise pool)');
  printTable(rows);
  await rt.shutdown();
}

await main();
