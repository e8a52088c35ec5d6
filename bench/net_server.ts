/**
 * Echo server process for bench/net.ts: `node --expose-gc dist/bench/net_server.js kyoto|node`.
 * Listens on 127.0.0.1:0, reports its port over IPC, answers { cmd: 'mem' } with memory after a
 * full GC, and exits on { cmd: 'exit' }.
 */
import * as net from 'node:net';
import { Runtime, TcpListener, spawn } from '../src/index.js';
import { echoServer } from '../examples/echo_server.js';

const kind = process.argv[2];
if (kind !== 'kyoto' && kind !== 'node') throw new TypeError(`usage: net_server kyoto|node, got ${String(kind)}`);

function mem(): { heap: number; external: number; rss: number; heapTotal: number } {
  const g = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) g?.();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, external: m.external, rss: m.rss, heapTotal: m.heapTotal };
}

function serve(port: number, stop: () => void): void {
  process.send!({ port });
  process.on('message', (msg: { cmd: string }) => {
    if (msg.cmd === 'mem') process.send!({ mem: mem() });
    else if (msg.cmd === 'exit') stop();
  });
}

if (kind === 'node') {
  const server = net.createServer((s) => {
    s.setNoDelay(true);
    s.on('data', (d) => s.write(d));
    s.on('error', () => {});
  });
  server.listen({ host: '127.0.0.1', port: 0, backlog: 16384 }, () => {
    serve((server.address() as net.AddressInfo).port, () => process.exit(0));
  });
} else {
  const rt = new Runtime();
  function* main() {
    const listener = yield* TcpListener.bind('127.0.0.1:0', { backlog: 16384 });
    serve(listener.localAddr().port, () => process.exit(0));
    yield* spawn(echoServer, listener, true);
  }
  await rt.blockOn(main);
}
