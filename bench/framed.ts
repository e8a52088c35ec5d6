/**
 * `Framed` against a hand-written loop: a RESP (redis protocol) PING server, each in this
 * process on kyoto, driven by a plain Node client in a child process with pipelining.
 *
 *   node dist/bench/framed.js [--ms 3000] [--rounds 3] [--conns 50] [--depth 16]
 *
 * - hand: `readChunk` from a `BufReader`, parse every whole command of the chunk (a leftover
 *   is kept for the next one), answer the batch with one zero-copy write of a prebuilt reply.
 * - framed: `Framed` with a RESP codec: `readFrame`, then `tryReadFrame` for the rest of the
 *   batch, `feed` each `+PONG`, one `flush` per batch.
 * - per-frame: `Framed` answering each frame with its own write (`send`), the only shape kyoto's
 *   first `Framed` offered; for reference.
 * Both parse with the same function (`decodeCommand`), so the difference is the framework.
 * Requests/s, best of `rounds` runs per server (alternating), and the ratio hand/framed.
 */
import { fork } from 'node:child_process';
import * as net from 'node:net';
import { fileURLToPath } from 'node:url';
import { BufReader, Framed, IoError, Runtime, TcpListener, TcpStream, spawn, type Codec } from '../src/index.js';

const argNum = (name: string, d: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : d;
};
const MS = argNum('ms', 3000);
const ROUNDS = argNum('rounds', 3);
const CONNS = argNum('conns', 50);
const DEPTH = argNum('depth', 16);

const PING = Buffer.from('*1\r\n$4\r\nPING\r\n');
const PONG = Buffer.from('+PONG\r\n');

/** One RESP command (an array of bulk strings) at `off`: its name and length, or null if partial. */
function decodeCommand(b: Buffer, off: number): { item: string; consumed: number } | null {
  if (b.length - off < 4 || b[off] !== 0x2a) {
    if (b.length - off > 0 && b[off] !== 0x2a) throw new Error('bad command');
    return null;
  }
  let i = b.indexOf(0x0d, off);
  if (i < 0 || i + 1 >= b.length) return null;
  const n = Number(b.toString('latin1', off + 1, i));
  let p = i + 2;
  let name = '';
  for (let k = 0; k < n; k++) {
    if (p >= b.length) return null;
    i = b.indexOf(0x0d, p);
    if (i < 0 || i + 1 >= b.length) return null;
    const len = Number(b.toString('latin1', p + 1, i));
    p = i + 2;
    if (p + len + 2 > b.length) return null;
    if (k === 0) name = b.toString('latin1', p, p + len);
    p += len + 2;
  }
  return { item: name, consumed: p - off };
}

class RespCodec implements Codec<string> {
  decode(src: Buffer): { item: string; consumed: number } | null {
    return decodeCommand(src, 0);
  }
  encode(item: string): Buffer {
    return item === 'PONG' ? PONG : Buffer.from(`+${item}\r\n`);
  }
}

const answer = (cmd: string): string => (cmd === 'PING' ? 'PONG' : 'ERR');

/** Replies for a batch of n PINGs, built once: the hand loop writes them without a copy. */
const REPLIES: Buffer[] = [];
const replyFor = (n: number): Buffer => (REPLIES[n] ??= Buffer.concat(Array.from({ length: n }, () => PONG)));

function* handClient(stream: TcpStream) {
  const rd = new BufReader(stream);
  let left: Buffer | null = null;
  try {
    for (let c = yield* rd.readChunk(); c !== null; c = yield* rd.readChunk()) {
      const b: Buffer = left === null ? c : Buffer.concat([left, c]);
      let off = 0;
      let n = 0;
      for (let d = decodeCommand(b, 0); d !== null; d = decodeCommand(b, off)) {
        off += d.consumed;
        if (answer(d.item) === 'PONG') n++;
      }
      left = off < b.length ? b.subarray(off) : null;
      if (n > 0) yield* stream.writeChunk(replyFor(n));
    }
  } finally {
    stream.close();
  }
}

function* framedClient(stream: TcpStream) {
  const framed = new Framed(stream, new RespCodec());
  try {
    for (let f = yield* framed.readFrame(); f !== null; f = yield* framed.readFrame()) {
      yield* framed.feed(answer(f));
      for (let g = framed.tryReadFrame(); g !== undefined; g = framed.tryReadFrame()) yield* framed.feed(answer(g));
      yield* framed.flush();
    }
  } finally {
    stream.close();
  }
}

/** kyoto's first `Framed` shape, for reference: one write per frame (`send` flushes each). */
function* perFrameClient(stream: TcpStream) {
  const framed = new Framed(stream, new RespCodec());
  try {
    for (let f = yield* framed.readFrame(); f !== null; f = yield* framed.readFrame()) yield* framed.send(answer(f));
  } finally {
    stream.close();
  }
}

const HANDLERS = { hand: handClient, framed: framedClient, 'per-frame': perFrameClient };
type Kind = keyof typeof HANDLERS;

/** A client that goes away when a round ends is not a failure of the server. */
function* quietly(handler: typeof handClient, s: TcpStream) {
  try {
    yield* handler(s);
  } catch (e) {
    if (!(e instanceof IoError)) throw e;
  }
}

function* server(l: TcpListener, handler: typeof handClient) {
  for (;;) {
    const [s] = yield* l.accept();
    s.setNoDelay(true);
    spawn(quietly, handler, s);
  }
}

/** The load generator (child process): `conns` connections, `depth` PINGs in flight on each. */
function client(port: number, conns: number, depth: number, ms: number): void {
  const batch = Buffer.concat(Array.from({ length: depth }, () => PING));
  const want = depth * PONG.length;
  let done = 0;
  let counting = false;
  const socks: net.Socket[] = [];
  for (let i = 0; i < conns; i++) {
    const s = net.connect({ host: '127.0.0.1', port }, () => s.write(batch));
    s.setNoDelay(true);
    let got = 0;
    s.on('data', (d: Buffer) => {
      got += d.length;
      while (got >= want) {
        got -= want;
        if (counting) done += depth;
        s.write(batch);
      }
    });
    s.on('error', () => {});
    socks.push(s);
  }
  setTimeout(() => {
    counting = true;
    const t0 = performance.now();
    setTimeout(() => {
      const secs = (performance.now() - t0) / 1000;
      for (const s of socks) s.destroy();
      process.send!({ rps: done / secs, n: done });
      process.exit(0);
    }, ms);
  }, 300);
}

interface Result {
  rps: number;
  /** Server CPU time (this process: user + system) per request, µs. */
  cpu: number;
}

async function round(kind: Kind): Promise<Result> {
  const rt = new Runtime();
  const l = await rt.blockOn(TcpListener.bind('127.0.0.1:0'));
  const h = rt.spawn(server, l, HANDLERS[kind]);
  const child = fork(fileURLToPath(import.meta.url), ['--client', String(l.localAddr().port), ...process.argv.slice(2)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let c0 = process.cpuUsage();
  let counted = 0;
  const started = new Promise<void>((r) => setTimeout(r, 300)).then(() => {
    c0 = process.cpuUsage();
  });
  const rps = await new Promise<number>((resolve) => child.on('message', (m: { rps?: number; n?: number }) => {
    if (m.rps !== undefined) {
      counted = m.n ?? 0;
      resolve(m.rps);
    }
  }));
  await started;
  const c = process.cpuUsage(c0);
  await new Promise((r) => child.once('exit', r));
  h.abort();
  l.close();
  await rt.shutdown();
  return { rps, cpu: (c.user + c.system) / counted };
}

if (process.argv[2] === '--client') {
  client(Number(process.argv[3]), CONNS, DEPTH, MS);
} else {
  const best: Record<Kind, number> = { hand: 0, framed: 0, 'per-frame': 0 };
  const cpu: Record<Kind, number> = { hand: Infinity, framed: Infinity, 'per-frame': Infinity };
  const kinds: Kind[] = ['hand', 'framed', 'per-frame'];
  for (let r = 0; r < ROUNDS; r++) {
    for (const kind of r % 2 === 0 ? kinds : [...kinds].reverse()) {
      const res = await round(kind);
      console.log(`round ${r + 1} ${kind.padEnd(9)} ${Math.round(res.rps).toLocaleString('en-US').padStart(9)} req/s, server cpu ${res.cpu.toFixed(3)} us/req`);
      best[kind] = Math.max(best[kind], res.rps);
      cpu[kind] = Math.min(cpu[kind], res.cpu);
    }
  }
  console.log(
    `${CONNS} conns, pipelining ${DEPTH}: hand loop ${Math.round(best.hand).toLocaleString('en-US')} req/s, ` +
      `Framed ${Math.round(best.framed).toLocaleString('en-US')} req/s, hand/Framed ${(best.hand / best.framed).toFixed(2)}x; ` +
      `one write per frame ${Math.round(best['per-frame']).toLocaleString('en-US')} req/s, hand/that ${(best.hand / best['per-frame']).toFixed(2)}x (best of ${ROUNDS})`,
  );
  console.log(
    `server cpu per request (lowest): hand ${cpu.hand.toFixed(3)} us, Framed ${cpu.framed.toFixed(3)} us (${(cpu.framed / cpu.hand).toFixed(2)}x), ` +
      `one write per frame ${cpu['per-frame'].toFixed(3)} us (${(cpu['per-frame'] / cpu.hand).toFixed(2)}x)`,
  );
}
