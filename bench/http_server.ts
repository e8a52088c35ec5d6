/**
 * Server process for bench/http.ts: `node --expose-gc dist/bench/http_server.js kind handler`,
 * kind `kyoto` (serve), `node` (plain node:http) or `node-handler` (toNodeHandler on node:http);
 * handler `hello` or `sleep` (answers after 1 ms). Listens on 127.0.0.1:0, reports its port over
 * IPC, answers { cmd: 'cpu' } and { cmd: 'mem' } (after a full GC), exits on { cmd: 'exit' }.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Runtime, sleep, type Gen } from '../src/index.js';
import { Response, serve, toNodeHandler, type HttpRequest } from '../src/http/index.js';

const kind = process.argv[2];
const handlerKind = process.argv[3] ?? 'hello';
if (kind !== 'kyoto' && kind !== 'node' && kind !== 'node-handler') throw new TypeError(`usage: http_server kyoto|node|node-handler hello|sleep, got ${String(kind)}`);

const BODY = 'Hello, World!';

function* hello(_req: HttpRequest): Gen<Response> {
  return new Response(BODY);
}
function* sleepy(_req: HttpRequest): Gen<Response> {
  yield* sleep(1);
  return new Response(BODY);
}

function mem(): { heap: number; external: number; rss: number } {
  const g = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) g?.();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, external: m.external + m.arrayBuffers, rss: m.rss };
}

function ready(port: number): void {
  process.send!({ port });
  process.on('message', (msg: { cmd: string }) => {
    if (msg.cmd === 'mem') process.send!({ mem: mem() });
    else if (msg.cmd === 'cpu') process.send!({ cpu: process.cpuUsage() });
    else if (msg.cmd === 'exit') process.exit(0);
  });
}

const handler = handlerKind === 'sleep' ? sleepy : hello;
if (kind === 'kyoto') {
  const rt = new Runtime();
  await rt.blockOn(function* () {
    const srv = yield* serve({ port: 0, backlog: 16384 }, handler);
    ready(srv.port);
    yield* srv.closed;
  });
} else {
  let listener: http.RequestListener;
  if (kind === 'node') {
    listener =
      handlerKind === 'sleep'
        ? (_req, res) => void setTimeout(() => res.writeHead(200, { 'content-type': 'text/plain;charset=UTF-8' }).end(BODY), 1)
        : (_req, res) => void res.writeHead(200, { 'content-type': 'text/plain;charset=UTF-8' }).end(BODY);
  } else listener = toNodeHandler(handler, { runtime: new Runtime() });
  const server = http.createServer(listener);
  server.listen({ host: '127.0.0.1', port: 0, backlog: 16384 }, () => ready((server.address() as AddressInfo).port));
}
