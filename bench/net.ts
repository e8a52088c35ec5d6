/**
 * kyoto net benchmark: the kyoto echo server (examples/echo_server.ts, zero-copy handler) against
 * a plain Node `net` echo server, each in its own process, driven by one load-generator process
 * (bench/net_load.ts, plain Node `net`).
 *
 *   npm run bench:net            (node --expose-gc dist/bench/net.js [--ms 3000] [--rounds 2])
 *
 * - Round trips per second with 1, 100 and 1,000 connections doing 64-byte ping-pong, with p50
 *   and p99 latency (best of `rounds` runs, servers alternating).
 * - Server memory per idle connection with 10,000 connections held (heap + external after a
 *   full GC, and RSS), measured in the server process.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const argNum = (name: string, d: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : d;
};
const MS = argNum('ms', 3000);
const ROUNDS = argNum('rounds', 2);
const IDLE = argNum('idle', 10_000);
const CONNS = (() => {
  const i = process.argv.indexOf('--conns');
  return i >= 0 ? process.argv[i + 1]!.split(',').map(Number) : [1, 100, 1000];
})();

type Msg = Record<string, unknown>;

class Child {
  private queue: ((m: Msg) => void)[] = [];
  private early: Msg[] = [];
  readonly proc: ChildProcess;
  constructor(file: string, args: string[]) {
    this.proc = fork(join(here, file), args, { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.proc.on('message', (m: Msg) => {
      const w = this.queue.shift();
      if (w !== undefined) w(m);
      else this.early.push(m);
    });
  }
  next(): Promise<Msg> {
    const m = this.early.shift();
    if (m !== undefined) return Promise.resolve(m);
    return new Promise((r) => this.queue.push(r));
  }
  ask(m: Msg): Promise<Msg> {
    this.proc.send(m);
    return this.next();
  }
  async exit(): Promise<void> {
    const gone = new Promise((r) => this.proc.once('exit', r));
    this.proc.send({ cmd: 'exit' });
    await gone;
  }
}

async function startServer(kind: string): Promise<[Child, number]> {
  const c = new Child('net_server.js', [kind]);
  const m = await c.next();
  return [c, m['port'] as number];
}

interface Run {
  rts: number;
  secs: number;
  p50: number;
  p99: number;
}

const load = new Child('net_load.js', []);
await load.next();

const results: Record<string, Record<number, Run>> = { node: {}, kyoto: {} };
for (const conns of CONNS) {
  for (let round = 0; round < ROUNDS; round++) {
    for (const kind of round % 2 === 0 ? ['node', 'kyoto'] : ['kyoto', 'node']) {
      const [srv, port] = await startServer(kind);
      await load.ask({ cmd: 'pingpong', port, conns, ms: 300 }); // warm-up
      const r = (await load.ask({ cmd: 'pingpong', port, conns, ms: MS })) as unknown as Run;
      await srv.exit();
      const prev = results[kind]![conns];
      if (prev === undefined || r.rts / r.secs > prev.rts / prev.secs) results[kind]![conns] = r;
    }
  }
  const n = results['node']![conns]!;
  const k = results['kyoto']![conns]!;
  const nr = n.rts / n.secs;
  const kr = k.rts / k.secs;
  console.log(
    `${String(conns).padStart(5)} conns  node ${Math.round(nr).toLocaleString('en-US').padStart(8)} rt/s p50 ${n.p50.toFixed(3)} p99 ${n.p99.toFixed(3)} ms | ` +
      `kyoto ${Math.round(kr).toLocaleString('en-US').padStart(8)} rt/s p50 ${k.p50.toFixed(3)} p99 ${k.p99.toFixed(3)} ms | kyoto/node ${(kr / nr).toFixed(3)}x`,
  );
}

const perConn: Record<string, { heap: number; rss: number; committed: number }> = {};
for (const kind of IDLE > 0 ? ['node', 'kyoto'] : []) {
  const [srv, port] = await startServer(kind);
  type Mem = { heap: number; external: number; rss: number; heapTotal: number };
  const before = (await srv.ask({ cmd: 'mem' }))['mem'] as Mem;
  const opened = (await load.ask({ cmd: 'open', port, conns: IDLE }))['opened'] as number;
  await new Promise((r) => setTimeout(r, 500));
  const after = (await srv.ask({ cmd: 'mem' }))['mem'] as Mem;
  await load.ask({ cmd: 'closeAll' });
  await srv.exit();
  const heap = (after.heap + after.external - before.heap - before.external) / opened;
  const rss = (after.rss - before.rss) / opened;
  const committed = (after.heapTotal - before.heapTotal) / opened;
  perConn[kind] = { heap, rss, committed };
  console.log(
    `${kind.padEnd(5)} ${opened} idle connections: ${heap.toFixed(0)} B/conn heap used+external, ` +
      `${committed.toFixed(0)} B/conn V8 heap committed, ${rss.toFixed(0)} B/conn RSS`,
  );
}
if (IDLE > 0) console.log(
  `kyoto extra per idle connection: ${(perConn['kyoto']!.heap - perConn['node']!.heap).toFixed(0)} B heap+external, ` +
    `${(perConn['kyoto']!.committed - perConn['node']!.committed).toFixed(0)} B V8 heap committed, ` +
    `${(perConn['kyoto']!.rss - perConn['node']!.rss).toFixed(0)} B RSS (goal <= 1024)`,
);
await load.exit();
