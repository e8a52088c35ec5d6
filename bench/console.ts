/**
 * `npm run bench:console`: what the console costs. The spawn and ping-pong benchmarks run on a
 * runtime without the console (kyoto's default: no per-poll timing), with timing of every poll
 * (for comparison: what the console would cost without sampling), with the console server on
 * and no client, and with the server on and a web client attached (an SSE subscriber in a child
 * process, so only the server's side is measured). Each configuration gets a fresh runtime per
 * round, run several times (the first run includes the console's warm-up). Rounds alternate
 * between configurations; the median and best wall time and the median CPU time of the process
 * (robust when other processes share the cores) are reported against the default.
 */
import { spawn as spawnChild, type ChildProcess } from 'node:child_process';
import { Future, Pending, Runtime, consoleOf, spawn, type Context, type JoinHandle, type Poll, type Waker } from '../src/index.js';

const SPAWNS = 50_000;
const MESSAGES = 100_000;
const ROUNDS = 9;
/** Runs per configuration and round, on the same runtime. */
const REPS = 4;

function* leaf(i: number) {
  return i;
}

function* spawnMany(n: number) {
  const hs: JoinHandle<number>[] = new Array(n);
  for (let i = 0; i < n; i++) hs[i] = spawn(leaf, i);
  let s = 0;
  for (let i = 0; i < n; i++) s += yield* hs[i]!;
  return s;
}

/** A one-value mailbox: the smallest channel, built on the core future API. */
class Mailbox {
  value = 0;
  full = false;
  waker: Waker | null = null;
  readonly recvFut = new Recv(this);
  put(v: number): void {
    this.value = v;
    this.full = true;
    const w = this.waker;
    if (w !== null) {
      this.waker = null;
      w.wake();
    }
  }
}

class Recv extends Future<number> {
  constructor(readonly box: Mailbox) {
    super();
  }
  poll(cx: Context): Poll<number> {
    const b = this.box;
    if (b.full) {
      b.full = false;
      return b.value;
    }
    b.waker = cx.waker;
    return Pending;
  }
}

function* pinger(toPong: Mailbox, toPing: Mailbox, n: number) {
  let last = 0;
  for (let i = 0; i < n; i++) {
    toPong.put(i);
    last = yield* toPing.recvFut;
  }
  return last;
}

function* ponger(toPong: Mailbox, toPing: Mailbox, n: number) {
  for (let i = 0; i < n; i++) {
    const v = yield* toPong.recvFut;
    toPing.put(v + 1);
  }
}

function* pingPong(n: number) {
  const a = new Mailbox();
  const b = new Mailbox();
  const p = spawn(ponger, a, b, n);
  const r = yield* spawn(pinger, a, b, n);
  yield* p;
  return r;
}

type Config = 'default (no console)' | 'timing every poll' | 'console, no client' | 'console + client';
const CONFIGS: Config[] = ['default (no console)', 'timing every poll', 'console, no client', 'console + client'];

interface Env {
  rt: Runtime;
  client: ChildProcess | null;
}

async function attachClient(url: string): Promise<ChildProcess> {
  const code = `const http = require('node:http'); let n = 0;
    http.get(process.argv[1] + 'api/events', (res) => { res.on('data', (c) => { n += c.length; if (n > 0 && !globalThis.s) { globalThis.s = 1; console.log('attached'); } }); });`;
  const child = spawnChild(process.execPath, ['-e', code, url], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
  return child;
}

async function makeEnv(c: Config): Promise<Env> {
  if (c === 'timing every poll') return { rt: new Runtime({ timing: true }), client: null };
  if (c === 'default (no console)') return { rt: new Runtime(), client: null };
  const rt = new Runtime({ console: { port: 0 } });
  const url = await consoleOf(rt)!.ready;
  return { rt, client: c === 'console + client' ? await attachClient(url) : null };
}

async function closeEnv(e: Env): Promise<void> {
  e.client?.kill();
  await e.rt.shutdown();
}

async function measure(name: string, ops: number, body: (rt: Runtime) => Promise<unknown>): Promise<void> {
  const samples = new Map<Config, number[]>(CONFIGS.map((c) => [c, []]));
  const cpu = new Map<Config, number[]>(CONFIGS.map((c) => [c, []]));
  for (let round = 0; round < ROUNDS; round++) {
    // Rotate the order each round so that no configuration always runs after the same one.
    const order = CONFIGS.map((_, i) => CONFIGS[(i + round) % CONFIGS.length]!);
    for (const c of order) {
      const env = await makeEnv(c);
      // Let the client receive a first update so the stream is live while measuring.
      await new Promise((r) => setTimeout(r, c === 'console + client' ? 30 : 1));
      for (let rep = 0; rep < REPS; rep++) {
        globalThis.gc?.();
        const c0 = process.cpuUsage();
        const t0 = process.hrtime.bigint();
        await body(env.rt);
        const ns = Number(process.hrtime.bigint() - t0) / ops;
        const cu = process.cpuUsage(c0);
        const cpuNs = ((cu.user + cu.system) * 1000) / ops;
        if (round > 0) {
          // round 0 warms up
          samples.get(c)!.push(ns);
          cpu.get(c)!.push(cpuNs);
        }
      }
      await closeEnv(env);
    }
  }
  if (process.env['BENCH_DEBUG'] === '1') for (const c of CONFIGS) console.log(c, cpu.get(c)!.map((x) => x.toFixed(0)).join(' '));
  const median = (xs: number[]): number => xs.slice().sort((a, b) => a - b)[xs.length >> 1]!;
  const min = (xs: number[]): number => Math.min(...xs);
  const base = median(samples.get('default (no console)')!);
  const baseMin = min(samples.get('default (no console)')!);
  const pct = (r: number): string => `${r >= 1 ? '+' : ''}${((r - 1) * 100).toFixed(1)}%`;
  console.log(`\n${name} (${ops.toLocaleString('en-US')} ops, ${ROUNDS - 1} rounds x ${REPS} runs)`);
  const baseCpu = median(cpu.get('default (no console)')!);
  const baseCpuMin = min(cpu.get('default (no console)')!);
  console.log(
    `  ${'configuration'.padEnd(22)} ${'wall median'.padStart(12)}  overhead | ${'wall best'.padStart(10)}  overhead | ${'CPU median'.padStart(11)}  overhead | ${'CPU best'.padStart(9)}  overhead`,
  );
  for (const c of CONFIGS) {
    const m = median(samples.get(c)!);
    const b = min(samples.get(c)!);
    const u = median(cpu.get(c)!);
    const ub = min(cpu.get(c)!);
    console.log(
      `  ${c.padEnd(22)} ${m.toFixed(1).padStart(8)} ns/op ${pct(m / base).padStart(8)} | ${b.toFixed(1).padStart(6)} ns/op ${pct(b / baseMin).padStart(8)} | ${u.toFixed(1).padStart(7)} ns/op ${pct(u / baseCpu).padStart(8)} | ${ub.toFixed(1).padStart(5)} ns/op ${pct(ub / baseCpuMin).padStart(8)}`,
    );
  }
}

/**
 * Steady state, one process per measurement: a warm runtime (with or without the console and a
 * client) runs the benchmark 24 times and reports the median CPU time of the last 16 runs. Await
 * tracing is process-wide, so the two configurations must not share a process; nor is GC forced
 * between runs here (a forced GC makes V8 drop optimized code that embedded the dead runtime's
 * objects, which penalizes whichever configuration happens to be hit).
 */
async function steadyChild(which: string, withConsole: boolean): Promise<void> {
  const env = await makeEnv(withConsole ? 'console + client' : 'default (no console)');
  await new Promise((r) => setTimeout(r, 30));
  const [body, ops] = which === 'spawn' ? [spawnMany, SPAWNS] : [pingPong, MESSAGES];
  const xs: number[] = [];
  for (let i = 0; i < 24; i++) {
    const c0 = process.cpuUsage();
    await env.rt.blockOn(body as (n: number) => Generator<Future<unknown>, number, unknown>, ops);
    const cu = process.cpuUsage(c0);
    if (i >= 8) xs.push(((cu.user + cu.system) * 1000) / ops);
  }
  await closeEnv(env);
  xs.sort((a, b) => a - b);
  process.stdout.write(`${xs[xs.length >> 1]!}\n`);
}

function runChild(which: string, withConsole: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawnChild(process.execPath, [process.argv[1]!, '--steady-child', which, withConsole ? 'console' : 'plain'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
    child.on('error', reject);
    child.on('close', () => resolve(Number(out.trim())));
  });
}

async function steady(which: string): Promise<void> {
  const plain: number[] = [];
  const withConsole: number[] = [];
  for (let i = 0; i < 4; i++) {
    plain.push(await runChild(which, false));
    withConsole.push(await runChild(which, true));
  }
  const median = (xs: number[]): number => xs.slice().sort((p, q) => p - q)[xs.length >> 1]!;
  const a = median(plain);
  const b = median(withConsole);
  const pct = (r: number): string => `${r >= 1 ? '+' : ''}${((r - 1) * 100).toFixed(1)}%`;
  console.log(
    `  ${which.padEnd(10)} CPU ${a.toFixed(1)} → ${b.toFixed(1)} ns/op (${pct(b / a)})   per process: ${plain.map((x) => x.toFixed(0)).join(' ')} → ${withConsole.map((x) => x.toFixed(0)).join(' ')}`,
  );
}

if (process.argv[2] === '--steady-child') {
  await steadyChild(process.argv[3]!, process.argv[4] === 'console');
  process.exit(0);
}

console.log(`kyoto console overhead — ${new Date().toISOString()} — Node ${process.version}`);
await measure('spawn: spawn N tasks and join them', SPAWNS, (rt) => rt.blockOn(spawnMany, SPAWNS));
await measure('ping-pong: two tasks exchanging messages', MESSAGES, (rt) => rt.blockOn(pingPong, MESSAGES));
console.log('\nsteady state, a warm runtime per process (median of 16 runs; 4 processes each): no console → console + client');
await steady('spawn');
await steady('ping-pong');
