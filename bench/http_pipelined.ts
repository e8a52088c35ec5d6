/**
 * The HTTP layer's own cost, with the kernel's share held equal: kyoto `serve` and a plain
 * `node:http` handler in this process, each driven by the same in-process client over loopback
 * that writes 100 pipelined GETs per connection at a time (10 connections) and waits for the 100
 * responses. One read and one socket write carry many requests, so the per-request figures are
 * mostly each server's JavaScript. Rounds alternate kyoto and node; each figure is the median.
 * The client's cost is the same for both and included in both.
 *
 * Run: npm run build && node --expose-gc dist/bench/http_pipelined.js [--rounds N]
 */
import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Runtime, type Gen } from '../src/index.js';
import { Response, serve, type HttpRequest } from '../src/http/index.js';
import { median } from './util.js';

const args = process.argv.slice(2);
const ROUNDS = Number(args[args.indexOf('--rounds') + 1] ?? 5) || 5;
const CONNS = 10;
const DEPTH = 100;
const BATCHES = 200;
const BODY = 'Hello, World!';
const REQ = 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: bench\r\nAccept: */*\r\n\r\n';
const batch = Buffer.from(REQ.repeat(DEPTH));
const BANG = 0x21; // the body's last byte: one per response

function* hello(_req: HttpRequest): Gen<Response> {
  return new Response(BODY);
}

/** One connection: BATCHES times, write DEPTH requests and wait for DEPTH responses. */
function client(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    let batches = 0;
    let seen = 0;
    s.on('connect', () => s.write(batch));
    s.on('data', (d: Buffer) => {
      for (let i = 0; i < d.length; i++) if (d[i] === BANG) seen++;
      if (seen < DEPTH) return;
      seen = 0;
      if (++batches === BATCHES) {
        s.end();
        resolve();
      } else s.write(batch);
    });
    s.on('error', reject);
  });
}

interface Figures {
  wall: number;
  user: number;
  sys: number;
}

async function measure(port: number): Promise<Figures> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONNS }, () => client(port)));
  const dt = performance.now() - t0;
  const c = process.cpuUsage(c0);
  const n = CONNS * DEPTH * BATCHES;
  return { wall: (dt * 1e6) / n, user: (c.user * 1e3) / n, sys: (c.system * 1e3) / n };
}

async function main(): Promise<void> {
  const rt = new Runtime();
  const k = await rt.blockOn(function* start() {
    return { srv: yield* serve({ host: '127.0.0.1', port: 0 }, hello) };
  });
  const nodeSrv = http.createServer((_req, res) => {
    res.setHeader('Content-Type', 'text/plain;charset=UTF-8');
    res.end(BODY);
  });
  await new Promise<void>((r) => nodeSrv.listen(0, '127.0.0.1', r));
  const nodePort = (nodeSrv.address() as AddressInfo).port;

  console.log(`http pipelined: ${CONNS} conns x ${DEPTH} pipelined GETs x ${BATCHES} batches, ${ROUNDS} rounds, node ${process.version}, load ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  await measure(k.srv.port); // warm-up
  await measure(nodePort);
  const ks: Figures[] = [];
  const ns: Figures[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    ks.push(await measure(k.srv.port));
    ns.push(await measure(nodePort));
  }
  const med = (xs: Figures[], key: keyof Figures): number => median(xs.map((x) => x[key]));
  for (const [name, xs] of [['kyoto serve', ks], ['node:http', ns]] as const) {
    const w = med(xs, 'wall');
    console.log(`  ${name.padEnd(12)} ${w.toFixed(0).padStart(6)} ns/req wall   user ${med(xs, 'user').toFixed(0).padStart(5)} ns   sys ${med(xs, 'sys').toFixed(0).padStart(5)} ns   node/kyoto wall ${(med(ns, 'wall') / w).toFixed(2)}x`);
  }
  nodeSrv.close();
  await rt.blockOn(function* stop() {
    yield* k.srv.shutdown();
  });
  await rt.shutdown();
}

await main();
