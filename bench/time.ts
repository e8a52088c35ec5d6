/**
 * kyoto timers against Node's setTimeout/clearTimeout, side by side in one process.
 *
 *   npm run bench:time        (node --expose-gc dist/bench/time.js)
 *
 * 1. create and cancel 1,000,000 timers with random deadlines 1 ms..60 s (ns per op);
 * 2. heap bytes per live timer with 1,000,000 pending (heapUsed and arrayBuffers deltas);
 * 3. 100,000 timers of 0..50 ms that fire: time past the last deadline, p50/p99/max lateness.
 */
import { Instant, Runtime, pollFn, sleep, sleepUntil, type Context, type Sleep, type Waker } from '../src/index.js';
import { currentDriver } from '../src/runtime/time/driver.js';
import { slab } from '../src/runtime/time/slab.js';

const N = Number(process.env['N'] ?? 1_000_000);
const FIRE_N = Number(process.env['FIRE_N'] ?? 100_000);
const ROUNDS = Number(process.env['ROUNDS'] ?? 3);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) {
  console.error('run with node --expose-gc');
  process.exit(1);
}
function fullGc(): void {
  for (let i = 0; i < 3; i++) gc!();
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = rng(42);
const deadlines = new Float64Array(N);
for (let i = 0; i < N; i++) deadlines[i] = 1 + Math.floor(rand() * 60_000);
const noop = (): void => {};
const rows: string[][] = [];
function row(...cols: string[]): void {
  rows.push(cols);
  console.log(cols.join(' | '));
}
const f1 = (x: number): string => x.toFixed(1);
const nsPer = (ms: number, n: number): number => (ms * 1e6) / n;

// A runtime whose task context the kyoto measurements poll with (as a task awaiting would).
const rt = new Runtime();
function inTask<T>(fn: (cx: Context) => T): Promise<T> {
  return rt.blockOn(function* benchTask() {
    return yield* pollFn((cx) => fn(cx));
  }) as Promise<T>;
}

// ---- 1. create + cancel ----------------------------------------------------------------------

function nodeCreateCancel(n: number): [number, number] {
  const handles: ReturnType<typeof setTimeout>[] = new Array(n);
  let t = performance.now();
  for (let i = 0; i < n; i++) handles[i] = setTimeout(noop, deadlines[i]);
  const create = performance.now() - t;
  t = performance.now();
  for (let i = 0; i < n; i++) clearTimeout(handles[i]);
  const cancel = performance.now() - t;
  return [nsPer(create, n), nsPer(cancel, n)];
}

function kyotoSleepCreateCancel(cx: Context, n: number): [number, number] {
  const sleeps: Sleep[] = new Array(n);
  let t = performance.now();
  for (let i = 0; i < n; i++) {
    const s = sleep(deadlines[i] as number);
    s.poll(cx); // registers in the wheel, as the first await does
    sleeps[i] = s;
  }
  const create = performance.now() - t;
  t = performance.now();
  for (let i = 0; i < n; i++) (sleeps[i] as Sleep).drop();
  const cancel = performance.now() - t;
  return [nsPer(create, n), nsPer(cancel, n)];
}

function kyotoRawCreateCancel(cx: Context, n: number): [number, number] {
  const drv = currentDriver();
  const entries = new Int32Array(n);
  const w = cx.waker.clone();
  const now = drv.now();
  let t = performance.now();
  for (let i = 0; i < n; i++) {
    const e = slab.alloc();
    drv.arm(e, now + (deadlines[i] as number), w);
    entries[i] = e;
  }
  const create = performance.now() - t;
  t = performance.now();
  for (let i = 0; i < n; i++) {
    const e = entries[i] as number;
    drv.cancel(e);
    slab.free(e);
  }
  const cancel = performance.now() - t;
  return [nsPer(create, n), nsPer(cancel, n)];
}

function nodePaired(n: number): number {
  const t = performance.now();
  for (let i = 0; i < n; i++) clearTimeout(setTimeout(noop, deadlines[i]));
  return nsPer(performance.now() - t, n);
}

function kyotoSleepPaired(cx: Context, n: number): number {
  const t = performance.now();
  for (let i = 0; i < n; i++) {
    const s = sleep(deadlines[i] as number);
    s.poll(cx);
    s.drop();
  }
  return nsPer(performance.now() - t, n);
}

// ---- 2. memory ---------------------------------------------------------------------------------

interface Mem {
  heap: number;
  ab: number;
}
function mem(): Mem {
  fullGc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, ab: m.arrayBuffers };
}

function nodeMemory(n: number): Mem {
  const handles: unknown[] = new Array(n).fill(null);
  const before = mem();
  for (let i = 0; i < n; i++) handles[i] = setTimeout(noop, deadlines[i]);
  const after = mem();
  for (let i = 0; i < n; i++) clearTimeout(handles[i] as ReturnType<typeof setTimeout>);
  return { heap: (after.heap - before.heap) / n, ab: (after.ab - before.ab) / n };
}

function kyotoSleepMemory(cx: Context, n: number): Mem {
  const sleeps: unknown[] = new Array(n).fill(null);
  const before = mem();
  for (let i = 0; i < n; i++) {
    const s = sleep(deadlines[i] as number);
    s.poll(cx);
    sleeps[i] = s;
  }
  const after = mem();
  for (let i = 0; i < n; i++) (sleeps[i] as Sleep).drop();
  return { heap: (after.heap - before.heap) / n, ab: (after.ab - before.ab) / n };
}

// ---- 3. firing ---------------------------------------------------------------------------------
// Every timer i is due at start + d_i, with d_i in 0..50 ms and `start` MARGIN ms after the
// timers begin to be created, so that the cost of creating them (which blocks the event loop)
// does not count as lateness: what is measured is how late each one fires after its deadline.

const MARGIN = 500;
interface FireStats {
  pastLast: number;
  p50: number;
  p99: number;
  max: number;
  early: number;
}
function stats(late: Float64Array, pastLast: number): FireStats {
  const s = Float64Array.from(late).sort();
  let early = 0;
  for (const x of s) if (x < 0) early++;
  return {
    pastLast,
    p50: s[Math.floor(s.length * 0.5)] as number,
    p99: s[Math.floor(s.length * 0.99)] as number,
    max: s[s.length - 1] as number,
    early,
  };
}
const fireDelays = new Float64Array(FIRE_N);
{
  const r = rng(7);
  for (let i = 0; i < FIRE_N; i++) fireDelays[i] = Math.floor(r() * 51);
}

function nodeFire(n = FIRE_N): Promise<FireStats> {
  return new Promise((resolve) => {
    const start = Math.ceil(performance.now()) + MARGIN;
    const late = new Float64Array(n);
    let left = n;
    const lastDue = start + 50;
    const cb = (i: number): void => {
      const now = performance.now();
      late[i] = now - (start + (fireDelays[i] as number));
      if (--left === 0) resolve(stats(late, now - lastDue));
    };
    for (let i = 0; i < n; i++) {
      const due = start + (fireDelays[i] as number);
      setTimeout(cb, Math.ceil(due - performance.now()), i);
    }
  });
}

function* fireSleeper(i: number, start: number, late: Float64Array): Generator<unknown, number, unknown> {
  const due = start + (fireDelays[i] as number);
  yield* sleepUntil(Instant.fromMs(due));
  const now = performance.now();
  late[i] = now - due;
  return now;
}

async function kyotoTaskFire(n = FIRE_N): Promise<FireStats> {
  const late = new Float64Array(n);
  const r = new Runtime({ timing: false });
  const start = Math.ceil(performance.now()) + MARGIN;
  const lastFire = await r.blockOn(function* fireMain() {
    const hs = [];
    for (let i = 0; i < n; i++) hs.push(r.spawn(fireSleeper, i, start, late));
    let last = 0;
    for (const h of hs) {
      const t = yield* h;
      if (t > last) last = t;
    }
    return last;
  });
  await r.shutdown();
  return stats(late, lastFire - (start + 50));
}

function kyotoWakerFire(n = FIRE_N): Promise<FireStats> {
  // Sleeps polled with a plain waker per timer: the wheel and driver without task overhead.
  return new Promise<FireStats>((resolve) => {
    const start = Math.ceil(performance.now()) + MARGIN;
    const late = new Float64Array(n);
    let left = n;
    const lastDue = start + 50;
    class W implements Waker {
      constructor(readonly i: number) {}
      wake(): void {
        const now = performance.now();
        late[this.i] = now - (start + (fireDelays[this.i] as number));
        if (--left === 0) resolve(stats(late, now - lastDue));
      }
      wakeByRef(): void {
        this.wake();
      }
      clone(): Waker {
        return this;
      }
      willWake(o: Waker): boolean {
        return o === this;
      }
    }
    for (let i = 0; i < n; i++) {
      const s = sleepUntil(Instant.fromMs(start + (fireDelays[i] as number)));
      s.poll({ waker: new W(i) });
    }
  });
}

// ---- main --------------------------------------------------------------------------------------

async function main(): Promise<void> {
  console.log(`kyoto time bench: N=${N}, FIRE_N=${FIRE_N}, Node ${process.version}, ${new Date().toISOString()}`);

  // 2 first, so that each side starts from fresh structures (the slab grows during the run).
  console.log(`\n2. heap bytes per live timer, ${N} pending (deltas after gc, handles kept in a preallocated array)`);
  const nm = nodeMemory(N);
  fullGc();
  const km = await inTask((cx) => kyotoSleepMemory(cx, N));
  fullGc();
  const cap = slab.when.length;
  const entryBytes = (slab.bytes() + 8 * cap) / cap;
  row('timer', 'heapUsed B', 'arrayBuffers B', 'total B', 'vs Node');
  row('Node Timeout', f1(nm.heap), f1(nm.ab), f1(nm.heap + nm.ab), '1.00');
  row('kyoto Sleep + wheel entry', f1(km.heap), f1(km.ab), f1(km.heap + km.ab), ((km.heap + km.ab) / (nm.heap + nm.ab)).toFixed(2));
  row('kyoto wheel entry alone (slab storage / capacity)', '8.0 (waker ref)', f1(entryBytes - 8), f1(entryBytes), (entryBytes / (nm.heap + nm.ab)).toFixed(2));
  console.log(`   slab capacity ${cap} entries: ${(slab.bytes() / 2 ** 20).toFixed(1)} MiB of typed arrays + an ${cap}-slot waker array`);

  console.log('\n1. create + cancel, random deadlines 1 ms..60 s (ns per op; second of two runs)');
  nodeCreateCancel(N);
  fullGc();
  const [nc, nx] = nodeCreateCancel(N);
  fullGc();
  await inTask((cx) => kyotoSleepCreateCancel(cx, N));
  fullGc();
  const [kc, kx] = await inTask((cx) => kyotoSleepCreateCancel(cx, N));
  fullGc();
  await inTask((cx) => kyotoRawCreateCancel(cx, N));
  fullGc();
  const [rc, rx] = await inTask((cx) => kyotoRawCreateCancel(cx, N));
  fullGc();
  row('timer (all created, then all cancelled)', 'create ns', 'cancel ns', 'create+cancel ns', 'vs Node');
  row('Node setTimeout/clearTimeout', f1(nc), f1(nx), f1(nc + nx), '1.0x');
  row('kyoto sleep()+poll / drop()', f1(kc), f1(kx), f1(kc + kx), `${((nc + nx) / (kc + kx)).toFixed(1)}x faster`);
  row('kyoto wheel entry arm / cancel', f1(rc), f1(rx), f1(rc + rx), `${((nc + nx) / (rc + rx)).toFixed(1)}x faster`);
  const np = nodePaired(N);
  const kp = await inTask((cx) => kyotoSleepPaired(cx, N));
  row('timer (each cancelled right after creation)', '', '', 'create+cancel ns', 'vs Node');
  row('Node setTimeout/clearTimeout', '', '', f1(np), '1.0x');
  row('kyoto sleep()+poll / drop()', '', '', f1(kp), `${(np / kp).toFixed(1)}x faster`);

  console.log(`\n3. ${FIRE_N} timers due 0..50 ms after a common start (ms; lateness = fire time - deadline)`);
  // Warm-up of both firing paths (JIT), on a tenth of the timers.
  await nodeFire(FIRE_N / 10);
  await kyotoTaskFire(FIRE_N / 10);
  await kyotoWakerFire(FIRE_N / 10);
  // Rounds alternate the three, and the median of each figure is reported (the machine is shared).
  const runs: FireStats[][] = [[], [], []];
  for (let r = 0; r < ROUNDS; r++) {
    fullGc();
    runs[0]!.push(await nodeFire());
    fullGc();
    runs[1]!.push(await kyotoTaskFire());
    fullGc();
    runs[2]!.push(await kyotoWakerFire());
  }
  const med = (xs: FireStats[], k: keyof FireStats): number => {
    const v = xs.map((x) => x[k]).sort((p, q) => p - q);
    return v[Math.floor(v.length / 2)] as number;
  };
  row(`timer (median of ${ROUNDS} rounds)`, 'past last deadline', 'p50 late', 'p99 late', 'max late', 'fired early');
  const names = ['Node setTimeout', 'kyoto tasks: yield* sleepUntil(t)', 'kyoto sleepUntil + waker (no task)'];
  for (let i = 0; i < 3; i++) {
    const xs = runs[i]!;
    row(names[i]!, f1(med(xs, 'pastLast')), med(xs, 'p50').toFixed(2), med(xs, 'p99').toFixed(2), med(xs, 'max').toFixed(2), String(med(xs, 'early')));
  }
  await rt.shutdown();
}

void main();
