/**
 * Core benchmarks, kyoto and its peers side by side in one process run:
 *   1. spawn and join trivial tasks
 *   2. heap bytes per pending task (100,000 suspended)
 *   3. yieldNow in one task
 *   4. ping-pong between two tasks through a minimal oneshot
 *
 * Run: npm run bench   (node --expose-gc dist/bench/core.js [--quick])
 */
import { Effect, Fiber, Queue } from 'effect';
import * as effection from 'effection';
import { Future, Pending, Runtime, pending, spawn, yieldNow, type Context, type JoinHandle, type Poll, type Waker } from '../src/index.js';
import { median, printTable, type Row } from './util.js';

const quick = process.argv.includes('--quick');
const RUNS = quick ? 3 : 5;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

async function measure(label: string, ops: number, fn: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  // One untimed run first: a full GC makes V8 drop code optimised for the collected objects, so
  // the first run after it measures re-optimisation, not the steady state (for every subject).
  gc();
  await fn();
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    await fn();
    samples.push(((performance.now() - t0) * 1e6) / ops);
  }
  const m = median(samples);
  process.stdout.write(`  ${label.padEnd(44)} ${m.toFixed(0).padStart(8)} ns/op\n`);
  return m;
}

// ---- 1. spawn + join ------------------------------------------------------------------------

function* trivial(i: number) {
  return i;
}
function* spawnJoinHoisted(n: number) {
  const hs = new Array<JoinHandle<number>>(n);
  for (let i = 0; i < n; i++) hs[i] = spawn(trivial, i);
  let s = 0;
  for (let i = 0; i < n; i++) s += yield* hs[i]!;
  return s;
}
function* spawnJoinInline(n: number) {
  const hs = new Array<JoinHandle<number>>(n);
  for (let i = 0; i < n; i++) {
    hs[i] = spawn(function* () {
      return i;
    });
  }
  let s = 0;
  for (let i = 0; i < n; i++) s += yield* hs[i]!;
  return s;
}
async function nativeSpawnJoin(n: number): Promise<number> {
  const ps = new Array<Promise<number>>(n);
  for (let i = 0; i < n; i++) ps[i] = (async (x: number) => x)(i);
  const r = await Promise.all(ps);
  return r.length;
}
const effectSpawnJoin = (n: number) =>
  Effect.runPromise(
    Effect.gen(function* () {
      const fs = new Array<Fiber.Fiber<number>>(n);
      for (let i = 0; i < n; i++) fs[i] = yield* Effect.forkChild(Effect.succeed(i));
      let s = 0;
      for (let i = 0; i < n; i++) s += yield* Fiber.join(fs[i]!);
      return s;
    }),
  );
const effectionSpawnJoin = (n: number) =>
  effection.run(function* () {
    const ts: effection.Task<number>[] = [];
    for (let i = 0; i < n; i++) {
      ts.push(
        yield* effection.spawn(function* () {
          return i;
        }),
      );
    }
    let s = 0;
    for (const t of ts) s += yield* t;
    return s;
  });

/** The floor under any design with one object per task: allocate and keep 8-field objects. */
class EightFields {
  a: unknown;
  b: unknown;
  c = 0;
  d: unknown = null;
  e: unknown = null;
  f: number;
  g: unknown = null;
  h: number;
  constructor(x: unknown, i: number) {
    this.a = x;
    this.b = i;
    this.f = i;
    this.h = i;
  }
}
async function allocFloor(n: number): Promise<number> {
  const hs = new Array<EightFields>(n);
  for (let i = 0; i < n; i++) hs[i] = new EightFields(null, i);
  let s = 0;
  for (let i = 0; i < n; i++) s += hs[i]!.f;
  return s;
}

// ---- 2. heap bytes per pending task ---------------------------------------------------------

function* waitForever(f: Future<void>) {
  yield* f;
}

async function bytesPerPending(label: string, n: number, start: () => Promise<() => Promise<void>>): Promise<number> {
  gc();
  gc();
  const before = process.memoryUsage();
  const stop = await start();
  await new Promise((r) => setTimeout(r, 20));
  gc();
  gc();
  const after = process.memoryUsage();
  const heap = (after.heapUsed - before.heapUsed) / n;
  const ext = (after.arrayBuffers - before.arrayBuffers) / n;
  process.stdout.write(
    `  ${label.padEnd(44)} ${heap.toFixed(0).padStart(8)} B heap${ext > 0.5 ? ` + ${ext.toFixed(0)} B typed arrays` : ''}\n`,
  );
  await stop();
  return heap + Math.max(0, ext);
}

// ---- 4. ping-pong ---------------------------------------------------------------------------

/** A minimal reusable oneshot mailbox: one value at a time, one waiting task. */
class Mailbox<T> extends Future<T> {
  private full = false;
  private value: T | undefined = undefined;
  private waker: Waker | null = null;
  poll(cx: Context): Poll<T> {
    if (this.full) {
      this.full = false;
      const v = this.value as T;
      this.value = undefined;
      return v;
    }
    this.waker = cx.waker;
    return Pending;
  }
  send(v: T): void {
    this.value = v;
    this.full = true;
    const w = this.waker;
    if (w !== null) {
      this.waker = null;
      w.wake();
    }
  }
}

function* pinger(n: number, toPong: Mailbox<number>, fromPong: Mailbox<number>) {
  let s = 0;
  for (let i = 0; i < n; i++) {
    toPong.send(i);
    s += yield* fromPong;
  }
  return s;
}
function* ponger(n: number, fromPing: Mailbox<number>, toPing: Mailbox<number>) {
  for (let i = 0; i < n; i++) toPing.send((yield* fromPing) + 1);
}
function* kyotoPingPong(n: number) {
  const a = new Mailbox<number>();
  const b = new Mailbox<number>();
  const p = spawn(ponger, n, a, b);
  const r = yield* spawn(pinger, n, a, b);
  yield* p;
  return r;
}

async function nativePingPong(n: number): Promise<number> {
  let toPong: ((v: number) => void) | null = null;
  let toPing: ((v: number) => void) | null = null;
  const nextPing = () => new Promise<number>((r) => (toPong = r));
  const nextPong = () => new Promise<number>((r) => (toPing = r));
  const pong = (async () => {
    for (let i = 0; i < n; i++) {
      const v = await nextPing();
      toPing!(v + 1);
    }
  })();
  let s = 0;
  for (let i = 0; i < n; i++) {
    const reply = nextPong();
    toPong!(i);
    s += await reply;
  }
  await pong;
  return s;
}

const effectPingPong = (n: number) =>
  Effect.runPromise(
    Effect.gen(function* () {
      const a = yield* Queue.bounded<number>(1);
      const b = yield* Queue.bounded<number>(1);
      const pong = yield* Effect.forkChild(
        Effect.gen(function* () {
          for (let i = 0; i < n; i++) yield* Queue.offer(b, (yield* Queue.take(a)) + 1);
        }),
      );
      let s = 0;
      for (let i = 0; i < n; i++) {
        yield* Queue.offer(a, i);
        s += yield* Queue.take(b);
      }
      yield* Fiber.join(pong);
      return s;
    }),
  );

const effectionPingPong = (n: number) =>
  effection.run(function* () {
    const a = effection.createQueue<number, never>();
    const b = effection.createQueue<number, never>();
    const pong = yield* effection.spawn(function* () {
      for (let i = 0; i < n; i++) {
        const r = yield* a.next();
        b.add((r.value as number) + 1);
      }
    });
    let s = 0;
    for (let i = 0; i < n; i++) {
      a.add(i);
      s += (yield* b.next()).value as number;
    }
    yield* pong;
    return s;
  });

// ---- main -----------------------------------------------------------------------------------

async function main(): Promise<void> {
  const rows: Row[] = [];
  const rt = new Runtime();
  const N = quick ? 100_000 : 1_000_000;
  console.log(`kyoto core benchmarks — ${new Date().toISOString()} — Node ${process.version}, ${RUNS} runs, medians`);

  console.log(`\n1. spawn + join ${N.toLocaleString()} trivial tasks`);
  const native1 = await measure('native async fn + Promise.all', N, () => nativeSpawnJoin(N));
  const k1 = await measure('kyoto spawn(hoisted, arg)', N, () => rt.blockOn(spawnJoinHoisted, N));
  const k1i = await measure('kyoto spawn(inline closure)', N, () => rt.blockOn(spawnJoinInline, N));
  const floor = await measure('floor: allocate + keep one 88-byte object', N, () => allocFloor(N));
  const E = quick ? 20_000 : 100_000;
  const e1 = await measure(`Effect forkChild + Fiber.join (${E.toLocaleString()})`, E, () => effectSpawnJoin(E));
  const F = quick ? 2_000 : 10_000;
  const f1 = await measure(`Effection spawn (${F.toLocaleString()})`, F, () => effectionSpawnJoin(F));
  rows.push(
    { bench: 'spawn+join', subject: 'kyoto (hoisted)', value: k1, unit: 'ns/task', vsNative: native1 / k1, vsEffect: e1 / k1, vsEffection: f1 / k1 },
    { bench: 'spawn+join', subject: 'kyoto (inline closure)', value: k1i, unit: 'ns/task', vsNative: native1 / k1i, vsEffect: e1 / k1i, vsEffection: f1 / k1i },
    { bench: 'spawn+join', subject: 'native', value: native1, unit: 'ns/task' },
    { bench: 'spawn+join', subject: 'floor (allocate + keep 1 object)', value: floor, unit: 'ns/task' },
    { bench: 'spawn+join', subject: 'Effect', value: e1, unit: 'ns/task' },
    { bench: 'spawn+join', subject: 'Effection', value: f1, unit: 'ns/task' },
  );

  console.log('\n2. heap bytes per pending task (100,000 suspended)');
  const P = 100_000;
  const never = pending<void>();
  const kb = await bytesPerPending('kyoto (hoisted generator)', P, async () => {
    const prt = new Runtime();
    for (let i = 0; i < P; i++) prt.spawn(waitForever, never);
    return () => prt.shutdown();
  });
  const nb = await bytesPerPending('native async fn on a promise', P, async () => {
    const forever = new Promise<void>(() => {});
    const keep: Promise<void>[] = [];
    for (let i = 0; i < P; i++) keep.push((async () => { await forever; })());
    (globalThis as { __keep?: unknown }).__keep = keep;
    return async () => { (globalThis as { __keep?: unknown }).__keep = undefined; };
  });
  const eb = await bytesPerPending('Effect fiber on Effect.never', P, async () => {
    const fibers: Fiber.Fiber<never>[] = [];
    for (let i = 0; i < P; i++) fibers.push(Effect.runFork(Effect.never));
    await new Promise((r) => setTimeout(r, 10));
    return async () => { await Effect.runPromise(Effect.forEach(fibers, (f) => Fiber.interrupt(f), { discard: true })); };
  });
  const PF = 10_000;
  const fb = await bytesPerPending(`Effection task on suspend() (${PF.toLocaleString()})`, PF, async () => {
    const task = effection.run(function* () {
      for (let i = 0; i < PF; i++) yield* effection.spawn(function* () { yield* effection.suspend(); });
      yield* effection.suspend();
    });
    return async () => { await task.halt(); };
  });
  rows.push(
    { bench: 'pending task', subject: 'kyoto', value: kb, unit: 'B/task', vsNative: nb / kb, vsEffect: eb / kb, vsEffection: fb / kb },
    { bench: 'pending task', subject: 'native', value: nb, unit: 'B/task' },
    { bench: 'pending task', subject: 'Effect', value: eb, unit: 'B/task' },
    { bench: 'pending task', subject: 'Effection', value: fb, unit: 'B/task' },
  );

  console.log(`\n3. ${N.toLocaleString()} yieldNow in one task`);
  function* yields(n: number) {
    for (let i = 0; i < n; i++) yield* yieldNow();
  }
  const n3 = await measure('native await null', N, async () => { for (let i = 0; i < N; i++) await null; });
  const k3 = await measure('kyoto yieldNow', N, () => rt.blockOn(yields, N));
  const E3 = quick ? 20_000 : 100_000;
  const e3 = await measure(`Effect.yieldNow (${E3.toLocaleString()})`, E3, () =>
    Effect.runPromise(Effect.gen(function* () { for (let i = 0; i < E3; i++) yield* Effect.yieldNow; })),
  );
  rows.push(
    { bench: 'yieldNow', subject: 'kyoto', value: k3, unit: 'ns/op', vsNative: n3 / k3, vsEffect: e3 / k3 },
    { bench: 'yieldNow', subject: 'native await null', value: n3, unit: 'ns/op' },
    { bench: 'yieldNow', subject: 'Effect', value: e3, unit: 'ns/op' },
  );

  const R = quick ? 100_000 : 500_000;
  console.log(`\n4. ping-pong, ${R.toLocaleString()} round trips`);
  const n4 = await measure('native promises', R, () => nativePingPong(R));
  const k4 = await measure('kyoto oneshot mailbox', R, () => rt.blockOn(kyotoPingPong, R));
  const E4 = quick ? 10_000 : 50_000;
  const e4 = await measure(`Effect Queue (${E4.toLocaleString()})`, E4, () => effectPingPong(E4));
  const f4 = await measure(`Effection queue (${E4.toLocaleString()})`, E4, () => effectionPingPong(E4));
  rows.push(
    { bench: 'ping-pong', subject: 'kyoto', value: k4, unit: 'ns/round trip', vsNative: n4 / k4, vsEffect: e4 / k4, vsEffection: f4 / k4 },
    { bench: 'ping-pong', subject: 'native', value: n4, unit: 'ns/round trip' },
    { bench: 'ping-pong', subject: 'Effect', value: e4, unit: 'ns/round trip' },
    { bench: 'ping-pong', subject: 'Effection', value: f4, unit: 'ns/round trip' },
  );

  console.log('\nSummary (ratios > 1 mean kyoto is faster / smaller):');
  printTable(rows);
  await rt.shutdown();
}

await main();
