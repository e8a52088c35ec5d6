/**
 * HTTP server benchmark: kyoto `serve` vs plain node:http vs `toNodeHandler` on node:http, each
 * in its own process, driven by wrk (installed by scripts/install-wrk.sh when missing) in
 * another process, side by side in one run.
 *
 * Scenarios: hello-world at 10, 100 and 1,000 keep-alive connections, and a handler that sleeps
 * 1 ms at 100 connections. Reports requests/s, server CPU per request (user+system over the
 * measured window, and the split), the CPU wrk itself used (near 100 % of a core, wrk -t1 is the
 * bottleneck and caps the requests/s ratio: CPU per request is then the figure to compare), and
 * server memory per idle keep-alive connection (RSS and heap+buffers after a full GC, 1,000
 * connections that each made one request). Prints ratios against node:http. `raw` is a
 * keep-alive responder on kyoto's TcpStream with no HTTP layer (a constant reply): the floor
 * `serve` is measured against.
 *
 * Usage: npm run bench:http [-- --duration 5 --rounds 3 --quick | --mem | --only sleep]
 */
import { execFile, execFileSync, fork, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const run = promisify(execFile);
const args = process.argv.slice(2);
const DURATION = Number(args[args.indexOf('--duration') + 1] ?? 5) || 5;
const QUICK = args.includes('--quick');
/** Only the idle-memory measurement. */
const MEM_ONLY = args.includes('--mem');
/** Only the scenarios whose name contains this. */
const ONLY = args.includes('--only') ? (args[args.indexOf('--only') + 1] ?? '') : null;
/**
 * Rounds per scenario; the kinds alternate within a round and the best round is reported (on a
 * shared machine other load only ever slows a run down, so the best is the least disturbed).
 */
const ROUNDS = Number(args[args.indexOf('--rounds') + 1] ?? 3) || 3;
const KINDS = ['node', 'kyoto', 'node-handler', 'raw'] as const;
type Kind = (typeof KINDS)[number];
/** The kinds a scenario runs: `raw` (no HTTP layer, a constant reply) only answers hello. */
const kindsFor = (handler: string): readonly Kind[] => (handler === 'hello' ? KINDS : KINDS.filter((k) => k !== 'raw'));

execFileSync('sh', [join(here, '../../scripts/install-wrk.sh')], { stdio: 'inherit' });

interface Server {
  child: ChildProcess;
  port: number;
  ask<T>(cmd: string, key: string): Promise<T>;
}

function start(kind: Kind, handler: string): Promise<Server> {
  const child = fork(join(here, 'http_server.js'), [kind, handler], { execArgv: ['--expose-gc'] });
  return new Promise((resolve) => {
    child.once('message', (m: { port: number }) =>
      resolve({
        child,
        port: m.port,
        ask: <T>(cmd: string, key: string) =>
          new Promise<T>((res) => {
            const on = (msg: Record<string, unknown>): void => {
              if (key in msg) {
                child.off('message', on);
                res(msg[key] as T);
              }
            };
            child.on('message', on);
            child.send({ cmd });
          }),
      }),
    );
  });
}

function stop(s: Server): Promise<void> {
  return new Promise((r) => {
    s.child.once('exit', () => r());
    s.child.send({ cmd: 'exit' });
  });
}

/** `0m1.230s` -> seconds. */
function shellTime(t: string): number {
  const m = /(\d+)m([\d.]+)s/.exec(t);
  return m === null ? NaN : Number(m[1]) * 60 + Number(m[2]);
}

/**
 * Runs wrk, and the shell's `times` after it: the CPU wrk itself used (user + system of the
 * shell's children), to tell whether the load generator was the bottleneck (near 100 % of a core
 * with -t1, the requests/s ratio is capped by wrk rather than by the server).
 */
async function wrk(port: number, conns: number, seconds: number): Promise<{ rps: number; requests: number; errors: string; wrkCpu: number }> {
  const cmd = `wrk -t1 -c${conns} -d${seconds}s http://127.0.0.1:${port}/; times`;
  const { stdout } = await run('sh', ['-c', cmd], { maxBuffer: 1 << 20 });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? NaN);
  const requests = Number(/(\d+) requests in/.exec(stdout)?.[1] ?? NaN);
  const err = /Socket errors:[^\n]*|Non-2xx[^\n]*/g;
  const times = stdout.trim().split('\n').at(-1)!.trim().split(/\s+/);
  const wrkCpu = (shellTime(times[0] ?? '') + shellTime(times[1] ?? '')) / seconds;
  return { rps, requests, errors: (stdout.match(err) ?? []).join('; '), wrkCpu };
}

interface Load {
  rps: number;
  cpuUsPerReq: number;
  userUsPerReq: number;
  sysUsPerReq: number;
  /** wrk's CPU over the run, in cores (1 = one core busy all the time). */
  wrkCpu: number;
  errors: string;
}

async function load(kind: Kind, handler: string, conns: number): Promise<Load> {
  const s = await start(kind, handler);
  await wrk(s.port, conns, 1); // warm-up (JIT, connection setup)
  const c0 = await s.ask<{ user: number; system: number }>('cpu', 'cpu');
  const r = await wrk(s.port, conns, DURATION);
  const c1 = await s.ask<{ user: number; system: number }>('cpu', 'cpu');
  await stop(s);
  const user = c1.user - c0.user;
  const sys = c1.system - c0.system;
  return { rps: r.rps, cpuUsPerReq: (user + sys) / r.requests, userUsPerReq: user / r.requests, sysUsPerReq: sys / r.requests, wrkCpu: r.wrkCpu, errors: r.errors };
}

/** Opens `n` keep-alive connections, each makes one request; memory per connection. */
async function idleMemory(kind: Kind, n: number): Promise<{ rss: number; heap: number }> {
  const s = await start(kind, 'hello');
  await wrk(s.port, 10, 1);
  const m0 = await s.ask<{ heap: number; external: number; rss: number }>('mem', 'mem');
  const socks: net.Socket[] = [];
  for (let i = 0; i < n; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, n - i) }, () =>
        new Promise<void>((resolve, reject) => {
          const c = net.connect(s.port, '127.0.0.1', () => c.write('GET / HTTP/1.1\r\nHost: b\r\n\r\n'));
          c.once('data', () => resolve());
          c.on('error', reject);
          socks.push(c);
        }),
      ),
    );
  }
  const m1 = await s.ask<{ heap: number; external: number; rss: number }>('mem', 'mem');
  for (const c of socks) c.destroy();
  await stop(s);
  return { rss: (m1.rss - m0.rss) / n, heap: (m1.heap + m1.external - m0.heap - m0.external) / n };
}

const fmt = (x: number, d = 0): string => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const scenarios: { name: string; handler: string; conns: number }[] = QUICK
  ? [{ name: 'hello, 100 conns', handler: 'hello', conns: 100 }]
  : [
      { name: 'hello, 10 conns', handler: 'hello', conns: 10 },
      { name: 'hello, 100 conns', handler: 'hello', conns: 100 },
      { name: 'hello, 1000 conns', handler: 'hello', conns: 1000 },
      { name: 'sleep 1 ms, 100 conns', handler: 'sleep', conns: 100 },
    ];

console.log(`kyoto/http bench: wrk -t1, ${DURATION} s per run, best of ${ROUNDS} interleaved rounds, node ${process.version}, load average ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')}`);
for (const sc of MEM_ONLY ? [] : scenarios.filter((x) => ONLY === null || x.name.includes(ONLY))) {
  const kinds = kindsFor(sc.handler);
  const all = new Map<Kind, Load[]>(kinds.map((k) => [k, []]));
  for (let round = 0; round < ROUNDS; round++) for (const k of kinds) all.get(k)!.push(await load(k, sc.handler, sc.conns));
  const res = new Map<Kind, Load>();
  for (const k of kinds) {
    const rs = all.get(k)!;
    // requests/s: the best round; CPU per request: the round with the least, with its split.
    const least = rs.reduce((a, b) => (b.cpuUsPerReq < a.cpuUsPerReq ? b : a));
    const best = rs.reduce((a, b) => (b.rps > a.rps ? b : a));
    res.set(k, { ...least, rps: best.rps, wrkCpu: best.wrkCpu, errors: rs.map((r) => r.errors).filter((e) => e).join(' | ') });
  }
  const base = res.get('node')!;
  console.log(`\n${sc.name}`);
  for (const k of kinds) {
    const r = res.get(k)!;
    console.log(
      `  ${k.padEnd(13)} ${fmt(r.rps).padStart(9)} req/s (${fmt(r.rps / base.rps, 2)}x)   cpu ${fmt(r.cpuUsPerReq, 1).padStart(5)} us/req (${fmt(r.cpuUsPerReq / base.cpuUsPerReq, 2)}x) = user ${fmt(r.userUsPerReq, 1)} + sys ${fmt(r.sysUsPerReq, 1)}   wrk ${fmt(r.wrkCpu * 100)}% of a core${r.errors ? '   ' + r.errors : ''}`,
    );
  }
}
if (!QUICK && ONLY === null) {
  console.log('\nmemory per idle keep-alive connection (1000 connections)');
  const mem = new Map<Kind, { rss: number; heap: number }>();
  const memKinds = KINDS.filter((k) => k !== 'raw');
  for (const k of memKinds) mem.set(k, await idleMemory(k, 1000));
  const b = mem.get('node')!;
  for (const k of memKinds) {
    const m = mem.get(k)!;
    console.log(`  ${k.padEnd(13)} rss ${fmt(m.rss / 1024, 1).padStart(6)} KiB (${fmt(m.rss / b.rss, 2)}x)   heap+buffers ${fmt(m.heap / 1024, 1).padStart(6)} KiB (${fmt(m.heap / b.heap, 2)}x)`);
  }
}
