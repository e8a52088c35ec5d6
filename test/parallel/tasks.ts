// Parallel tasks used by the tests (imported by every worker on first use).
import { isMainThread } from 'node:worker_threads';
import { writeFileSync } from 'node:fs';
import { parallel, pending, fromPromise, sleep, type Gen } from '../../src/index.js';

export function seqFib(n: number): number {
  return n < 2 ? n : seqFib(n - 1) + seqFib(n - 2);
}

export const add = parallel(import.meta.url, 'test.add', (a: number, b: number) => a + b);
export const echo = parallel(import.meta.url, 'test.echo', (v: unknown) => v);
export const byteSum = parallel(import.meta.url, 'test.byteSum', (b: ArrayBuffer) => {
  let s = 0;
  for (const x of new Uint8Array(b)) s += x;
  return s;
});

export const pfib = parallel(import.meta.url, 'test.pfib', function* (n: number, cutoff: number): Gen<number> {
  if (n < cutoff) return seqFib(n);
  const a = pfib.spawn(n - 1, cutoff);
  const b = pfib.spawn(n - 2, cutoff);
  return (yield* a) + (yield* b);
});

function merge(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i]! <= b[j]! ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}

export const mergeSort = parallel(import.meta.url, 'test.mergeSort', function* (xs: Int32Array, cutoff: number): Gen<Int32Array> {
  if (xs.length <= cutoff) return xs.slice().sort();
  const mid = xs.length >> 1;
  const l = mergeSort.spawn(xs.subarray(0, mid), cutoff);
  const r = mergeSort.spawn(xs.subarray(mid), cutoff);
  return merge(yield* l, yield* r);
});

export const fail = parallel(import.meta.url, 'test.fail', function* (msg: string): Gen<number> {
  yield* fromPromise(Promise.resolve());
  throw new RangeError(`boom: ${msg}`);
});

/** An async body: timers work on workers. */
export const delayed = parallel(import.meta.url, 'test.delayed', async (ms: number, v: string) => {
  await new Promise((r) => setTimeout(r, ms));
  return `${v} after ${ms} ms`;
});

export const busy = parallel(import.meta.url, 'test.busy', (ms: number) => {
  const end = Date.now() + ms;
  let n = 0;
  while (Date.now() < end) n++;
  return n > 0;
});

/** Writes `started`, waits forever; its finally writes `finallyFile`. */
export const hang = parallel(import.meta.url, 'test.hang', function* (started: string, finallyFile: string): Gen<void> {
  writeFileSync(started, 'started');
  try {
    yield* pending();
  } finally {
    writeFileSync(finallyFile, 'finally ran on the worker');
  }
});

export const exitInTask = parallel(import.meta.url, 'test.exit', (code: number) => {
  process.exit(code);
});

export const uncaughtOutside = parallel(import.meta.url, 'test.uncaught', function* (): Gen<void> {
  setTimeout(() => {
    throw new Error('thrown from a timer callback');
  }, 1);
  yield* pending();
});

export const exhaustMemory = parallel(import.meta.url, 'test.oom', () => {
  const keep: number[][] = [];
  for (;;) keep.push(new Array(1e6).fill(1.5));
});

/** Registered on the main thread only, so workers do not know it. */
export const mainOnly = isMainThread ? parallel(import.meta.url, 'test.mainOnly', (x: number) => x) : null;

/** True when run on the main thread. */
export const onMain = parallel(import.meta.url, 'test.onMain', () => isMainThread);

/** Spawns `n` children from a worker in one go (overflows the local deque) and sums them. */
export const fanOut = parallel(import.meta.url, 'test.fanOut', function* (n: number): Gen<number> {
  const hs = [];
  for (let i = 0; i < n; i++) hs.push(add.spawn(i, 0));
  let s = 0;
  for (const h of hs) s += yield* h;
  return s;
});

/** A generator body using kyoto's timer wheel on the worker. */
export const sleepy = parallel(import.meta.url, 'test.sleepy', function* (ms: number, v: number): Gen<number> {
  yield* sleep(ms);
  return v * 2;
});

/** Writes `started`, then awaits children that run on any worker. */
export const parent = parallel(import.meta.url, 'test.parent', function* (started: string, ms: number): Gen<number> {
  const hs = [busy.spawn(ms), busy.spawn(ms), busy.spawn(ms)];
  writeFileSync(started, 'started');
  let n = 0;
  for (const h of hs) if (yield* h) n++;
  return n;
});

/** Returns `n` bytes, each `fill` (a result that needs the shared heap). */
export const bytesOf = parallel(import.meta.url, 'test.bytesOf', (n: number, fill: number) => new Uint8Array(n).fill(fill));

/** Writes `started`, waits forever; its finally awaits a timer, then writes `finallyFile`. */
export const hangAsyncFinally = parallel(import.meta.url, 'test.hangAsyncFinally', function* (started: string, finallyFile: string): Gen<void> {
  writeFileSync(started, 'started');
  try {
    yield* pending();
  } finally {
    yield* sleep(30);
    writeFileSync(finallyFile, 'async finally ran on the worker');
  }
});

/** Writes `started`; its finally never ends. */
export const stuckFinally = parallel(import.meta.url, 'test.stuckFinally', function* (started: string): Gen<void> {
  writeFileSync(started, 'started');
  try {
    yield* pending();
  } finally {
    yield* pending();
  }
});

/** Writes `started`, then never returns (synchronous). */
export const spinForever = parallel(import.meta.url, 'test.spinForever', (started: string) => {
  writeFileSync(started, 'started');
  for (;;);
});
