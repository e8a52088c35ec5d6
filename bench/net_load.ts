/**
 * Load generator process for bench/net.ts (plain Node `net`, the same for both servers).
 * Commands over IPC:
 *   { cmd: 'pingpong', port, conns, ms }  -> { rts, secs, p50, p99 } (64-byte ping-pong per conn)
 *   { cmd: 'open', port, conns }           -> { opened } (idle connections, held)
 *   { cmd: 'closeAll' }                    -> { closed }
 */
import * as net from 'node:net';
import { Histogram } from '../src/index.js';

const PING = Buffer.alloc(64, 0x61);
let held: net.Socket[] = [];

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => resolve(s));
    s.once('error', reject);
  });
}

async function openMany(port: number, n: number): Promise<net.Socket[]> {
  const out: net.Socket[] = [];
  for (let i = 0; i < n; i += 500) {
    const batch: Promise<net.Socket>[] = [];
    for (let j = i; j < Math.min(n, i + 500); j++) batch.push(connect(port));
    out.push(...(await Promise.all(batch)));
  }
  return out;
}

async function pingpong(port: number, conns: number, ms: number): Promise<unknown> {
  const socks = await openMany(port, conns);
  const hist = new Histogram();
  let rts = 0;
  let running = true;
  const done: Promise<void>[] = [];
  const t0 = performance.now();
  for (const s of socks) {
    s.setNoDelay(true);
    let got = 0;
    let sent = performance.now();
    done.push(
      new Promise<void>((resolve) => {
        s.on('data', (d: Buffer) => {
          got += d.length;
          while (got >= 64) {
            got -= 64;
            const now = performance.now();
            hist.record(now - sent);
            rts++;
            if (!running) {
              resolve();
              return;
            }
            sent = now;
            s.write(PING);
          }
        });
      }),
    );
    s.write(PING);
  }
  await new Promise((r) => setTimeout(r, ms));
  running = false;
  await Promise.all(done);
  const secs = (performance.now() - t0) / 1000;
  for (const s of socks) s.destroy();
  return { rts, secs, p50: hist.percentile(50), p99: hist.percentile(99) };
}

process.on('message', (msg: { cmd: string; port: number; conns: number; ms: number }) => {
  void (async () => {
    if (msg.cmd === 'pingpong') process.send!(await pingpong(msg.port, msg.conns, msg.ms));
    else if (msg.cmd === 'open') {
      held = await openMany(msg.port, msg.conns);
      process.send!({ opened: held.length });
    } else if (msg.cmd === 'closeAll') {
      for (const s of held) s.destroy();
      const n = held.length;
      held = [];
      process.send!({ closed: n });
    } else if (msg.cmd === 'exit') process.exit(0);
  })();
});
process.send!({ ready: true });
