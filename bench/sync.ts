/**
 * Sync and channel benchmarks, kyoto and its peers side by side in one process run:
 *   1. mpsc throughput: 1,000,000 messages through a bounded channel (capacity 1024), 1 and 4
 *      producers, one consumer. Peers: Effect 4 `Queue.bounded`, a minimal Promise channel. Also
 *      kyoto's unbounded channel against Effect's `Queue.unbounded`.
 *   2. contended Mutex: 100 tasks x 10,000 lock/unlock, each holding the lock across a yield
 *      (so 99 tasks are always queued). Peers: Effect 4 `Semaphore(1).withPermits(1)`, a minimal
 *      Promise mutex.
 *   3. uncontended Mutex: 1 task x 1,000,000 lock/unlock (fast path).
 *
 * Run: npm run bench:sync   (node --expose-gc dist/bench/sync.js [--quick])
 */
import { Effect, Fiber, Queue, Semaphore as ESemaphore } from 'effect';
import { Mutex, Runtime, mpsc, spawn, yieldNow, type JoinHandle } from '../src/index.js';
import { median, printTable, type Row } from './util.js';

const quick = process.argv.includes('--quick');
const RUNS = quick ? 3 : 5;
const N = quick ? 200_000 : 1_000_000;
const CAP = 1024;
const TASKS = 100;
const ITERS = quick ? 2_000 : 10_000;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

/**
 * Measures several subjects round-robin (one run of each per round, after one warm-up round), so
 * that load from other processes on the machine hits every subject alike. Prints and returns the
 * median ns/op of each, in the order given.
 */
async function compare(ops: number, subjects: [string, () => Promise<unknown>][]): Promise<number[]> {
  const samples = subjects.map(() => [] as number[]);
  for (const [, fn] of subjects) await fn(); // warm-up
  for (let r = 0; r < RUNS; r++) {
    for (let i = 0; i < subjects.length; i++) {
      gc();
      const t0 = performance.now();
      await subjects[i]![1]();
      samples[i]!.push(((performance.now() - t0) * 1e6) / ops);
    }
  }
  return subjects.map(([label], i) => {
    const m = median(samples[i]!);
    process.stdout.write(`  ${label.padEnd(52)} ${m.toFixed(1).padStart(8)} ns/op\n`);
    return m;
  });
}

function check(label: string, got: number, want: number): void {
  if (got !== want) throw new Error(`${label}: checksum ${got}, expected ${want}`);
}

// ---- minimal Promise-based peers ----------------------------------------------------------

/** A bounded channel built on Promises, the way one writes it without a runtime. */
class PromiseChannel<T> {
  private buf: T[] = [];
  private head = 0;
  private recvWaiter: ((v: T | undefined) => void) | null = null;
  private sendWaiters: (() => void)[] = [];
  closed = false;
  constructor(private readonly cap: number) {}
  private get len(): number {
    return this.buf.length - this.head;
  }
  async send(v: T): Promise<void> {
    while (this.len >= this.cap) await new Promise<void>((r) => this.sendWaiters.push(r));
    const w = this.recvWaiter;
    if (w !== null) {
      this.recvWaiter = null;
      w(v);
      return;
    }
    this.buf.push(v);
  }
  recv(): Promise<T | undefined> {
    if (this.len > 0) {
      const v = this.buf[this.head++] as T;
      if (this.head > 4096 && this.head * 2 > this.buf.length) {
        this.buf = this.buf.slice(this.head);
        this.head = 0;
      }
      const s = this.sendWaiters.shift();
      if (s !== undefined) s();
      return Promise.resolve(v);
    }
    if (this.closed) return Promise.resolve(undefined);
    return new Promise((r) => (this.recvWaiter = r));
  }
}

/** A FIFO mutex built on Promises. */
class PromiseMutex {
  private locked = false;
  private q: (() => void)[] = [];
  lock(): Promise<void> {
    if (!this.locked) {
      this.locked = true;
      return Promise.resolve();
    }
    return new Promise((r) => this.q.push(r));
  }
  unlock(): void {
    const n = this.q.shift();
    if (n !== undefined) n();
    else this.locked = false;
  }
}

// ---- 1. mpsc throughput -------------------------------------------------------------------

function* kProducer(tx: mpsc.Sender<number>, count: number) {
  for (let i = 0; i < count; i++) yield* tx.send(1);
  tx.close();
}
function* kMpsc(producers: number, n: number) {
  const [tx, rx] = mpsc.channel<number>(CAP);
  const per = n / producers;
  for (let p = 1; p < producers; p++) spawn(kProducer, tx.clone(), per);
  spawn(kProducer, tx, per);
  let s = 0;
  for (let v = yield* rx.recv(); v !== undefined; v = yield* rx.recv()) s += v;
  return s;
}
function* kuProducer(tx: mpsc.UnboundedSender<number>, count: number) {
  for (let i = 0; i < count; i++) {
    tx.send(1);
    if ((i & 1023) === 1023) yield* yieldNow();
  }
  tx.close();
}
function* kMpscUnbounded(producers: number, n: number) {
  const [tx, rx] = mpsc.unbounded<number>();
  const per = n / producers;
  for (let p = 1; p < producers; p++) spawn(kuProducer, tx.clone(), per);
  spawn(kuProducer, tx, per);
  let s = 0;
  for (let v = yield* rx.recv(); v !== undefined; v = yield* rx.recv()) s += v;
  return s;
}

const effectMpsc = (producers: number, n: number, bounded = true) =>
  Effect.runPromise(
    Effect.gen(function* () {
      const q = bounded ? yield* Queue.bounded<number>(CAP) : yield* Queue.unbounded<number>();
      const per = n / producers;
      const fs: Fiber.Fiber<void>[] = [];
      for (let p = 0; p < producers; p++) {
        fs.push(
          yield* Effect.forkChild(
            Effect.gen(function* () {
              for (let i = 0; i < per; i++) yield* Queue.offer(q, 1);
            }),
          ),
        );
      }
      let s = 0;
      for (let i = 0; i < n; i++) s += yield* Queue.take(q);
      for (const f of fs) yield* Fiber.join(f);
      return s;
    }),
  );

async function promiseMpsc(producers: number, n: number): Promise<number> {
  const ch = new PromiseChannel<number>(CAP);
  const per = n / producers;
  let live = producers;
  const ps: Promise<void>[] = [];
  for (let p = 0; p < producers; p++) {
    ps.push(
      (async () => {
        for (let i = 0; i < per; i++) await ch.send(1);
        if (--live === 0) ch.closed = true;
      })(),
    );
  }
  let s = 0;
  for (let i = 0; i < n; i++) s += (await ch.recv())!;
  await Promise.all(ps);
  return s;
}

// ---- 2. contended mutex -------------------------------------------------------------------

function* kLocker(m: Mutex<{ n: number }>, iters: number) {
  for (let i = 0; i < iters; i++) {
    const g = yield* m.lock();
    try {
      g.value.n++;
      yield* yieldNow(); // hold the lock across a suspension: everyone else queues
    } finally {
      g.release();
    }
  }
}
function* kLockerUsing(m: Mutex<{ n: number }>, iters: number) {
  for (let i = 0; i < iters; i++) {
    using g = yield* m.lock();
    g.value.n++;
    yield* yieldNow();
  }
}
function* kContended(tasks: number, iters: number, withUsing: boolean) {
  const m = new Mutex({ n: 0 });
  const hs: JoinHandle<void>[] = [];
  for (let t = 0; t < tasks; t++) hs.push(withUsing ? spawn(kLockerUsing, m, iters) : spawn(kLocker, m, iters));
  for (const h of hs) yield* h;
  return m.tryLock()!.value.n;
}

const effectContended = (tasks: number, iters: number) =>
  Effect.runPromise(
    Effect.gen(function* () {
      const sem = yield* ESemaphore.make(1);
      const c = { n: 0 };
      const section = sem.withPermits(1)(
        Effect.gen(function* () {
          c.n++;
          yield* Effect.yieldNow;
        }),
      );
      const fs: Fiber.Fiber<void>[] = [];
      for (let t = 0; t < tasks; t++) {
        fs.push(
          yield* Effect.forkChild(
            Effect.gen(function* () {
              for (let i = 0; i < iters; i++) yield* section;
            }),
          ),
        );
      }
      for (const f of fs) yield* Fiber.join(f);
      return c.n;
    }),
  );

async function promiseContended(tasks: number, iters: number): Promise<number> {
  const m = new PromiseMutex();
  const c = { n: 0 };
  const ps: Promise<void>[] = [];
  for (let t = 0; t < tasks; t++) {
    ps.push(
      (async () => {
        for (let i = 0; i < iters; i++) {
          await m.lock();
          try {
            c.n++;
            await null;
          } finally {
            m.unlock();
          }
        }
      })(),
    );
  }
  await Promise.all(ps);
  return c.n;
}

// ---- 3. uncontended mutex -----------------------------------------------------------------

function* kUncontended(n: number) {
  const m = new Mutex({ n: 0 });
  for (let i = 0; i < n; i++) {
    const g = yield* m.lock();
    try {
      g.value.n++;
    } finally {
      g.release();
    }
  }
  return m.tryLock()!.value.n;
}
function* kUncontendedUsing(n: number) {
  const m = new Mutex({ n: 0 });
  for (let i = 0; i < n; i++) {
    using g = yield* m.lock();
    g.value.n++;
  }
  return m.tryLock()!.value.n;
}
const effectUncontended = (n: number) =>
  Effect.runPromise(
    Effect.gen(function* () {
      const sem = yield* ESemaphore.make(1);
      const c = { n: 0 };
      const section = sem.withPermits(1)(Effect.sync(() => void c.n++));
      for (let i = 0; i < n; i++) yield* section;
      return c.n;
    }),
  );
async function promiseUncontended(n: number): Promise<number> {
  const m = new PromiseMutex();
  const c = { n: 0 };
  for (let i = 0; i < n; i++) {
    await m.lock();
    c.n++;
    m.unlock();
  }
  return c.n;
}

// ---- main ---------------------------------------------------------------------------------

async function main(): Promise<void> {
  const rt = new Runtime();
  const rows: Row[] = [];
  console.log(`kyoto sync benchmarks (${quick ? 'quick' : 'full'}; median of ${RUNS} round-robin runs after a warm-up round; Node ${process.version})`);

  for (const producers of [1, 4]) {
    console.log(`\nmpsc: ${N} messages, ${producers} producer(s), capacity ${CAP}`);
    const [k, ku, e, eu, p] = (await compare(N, [
      ['kyoto mpsc.channel', async () => check('kyoto', await rt.blockOn(kMpsc, producers, N), N)],
      ['kyoto mpsc.unbounded', async () => check('kyoto-u', await rt.blockOn(kMpscUnbounded, producers, N), N)],
      ['Effect Queue.bounded', async () => check('effect', await effectMpsc(producers, N), N)],
      ['Effect Queue.unbounded', async () => check('effect-u', await effectMpsc(producers, N, false), N)],
      ['Promise channel', async () => check('promise', await promiseMpsc(producers, N), N)],
    ])) as [number, number, number, number, number];
    rows.push({ bench: `mpsc ${producers}p`, subject: 'kyoto channel', value: k, unit: 'ns/msg', vsNative: p / k, vsEffect: e / k });
    rows.push({ bench: `mpsc ${producers}p`, subject: 'kyoto unbounded (vs Effect unbounded)', value: ku, unit: 'ns/msg', vsNative: p / ku, vsEffect: eu / ku });
  }

  const ops = TASKS * ITERS;
  console.log(`\ncontended mutex: ${TASKS} tasks x ${ITERS} lock/unlock, lock held across a yield`);
  const [k, kUsing, e, p] = (await compare(ops, [
    ['kyoto Mutex (try/finally release)', async () => check('kyoto', await rt.blockOn(kContended, TASKS, ITERS, false), ops)],
    ['kyoto Mutex (`using` guard)', async () => check('kyoto', await rt.blockOn(kContended, TASKS, ITERS, true), ops)],
    ['Effect Semaphore(1).withPermits(1)', async () => check('effect', await effectContended(TASKS, ITERS), ops)],
    ['Promise mutex', async () => check('promise', await promiseContended(TASKS, ITERS), ops)],
  ])) as [number, number, number, number];
  rows.push({ bench: 'contended mutex', subject: 'kyoto Mutex', value: k, unit: 'ns/lock', vsNative: p / k, vsEffect: e / k });
  rows.push({ bench: 'contended mutex', subject: 'kyoto Mutex, using', value: kUsing, unit: 'ns/lock', vsNative: p / kUsing, vsEffect: e / kUsing });

  console.log(`\nuncontended mutex: 1 task x ${N} lock/unlock`);
  const [ku, kuUsing, eu, pu] = (await compare(N, [
    ['kyoto Mutex (try/finally release)', async () => check('kyoto', await rt.blockOn(kUncontended, N), N)],
    ['kyoto Mutex (`using` guard)', async () => check('kyoto', await rt.blockOn(kUncontendedUsing, N), N)],
    ['Effect Semaphore(1).withPermits(1)', async () => check('effect', await effectUncontended(N), N)],
    ['Promise mutex', async () => check('promise', await promiseUncontended(N), N)],
  ])) as [number, number, number, number];
  rows.push({ bench: 'uncontended mutex', subject: 'kyoto Mutex', value: ku, unit: 'ns/lock', vsNative: pu / ku, vsEffect: eu / ku });
  rows.push({ bench: 'uncontended mutex', subject: 'kyoto Mutex, using', value: kuUsing, unit: 'ns/lock', vsNative: pu / kuUsing, vsEffect: eu / kuUsing });

  console.log('\nratios: peer time / kyoto time (> 1 means kyoto is faster); "native" = minimal Promise version\n');
  printTable(rows);
  await rt.shutdown();
}

await main();
