/**
 * Server process for bench/http.ts: `node --expose-gc dist/bench/http_server.js kind handler`,
 * kind `kyoto` (serve), `node` (plain node:http), `node-handler` (toNodeHandler on node:http) or
 * `raw` (no HTTP layer: a keep-alive responder on kyoto's TcpStream that counts request ends and
 * writes a constant response per request, hello only: the floor `serve` is measured against);
 * handler `hello` or `sleep` (answers after 1 ms). Listens on 127.0.0.1:0, reports its port over
 * IPC, answers { cmd: 'cpu' } and { cmd: 'mem' } (after a full GC), exits on { cmd: 'exit' }.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Runtime, TcpListener, sleep, spawn, type Gen, type TcpStream } from '../src/index.js';
import { Response, serve, toNodeHandler, type HttpRequest } from '../src/http/index.js';

const kind = process.argv[2];
const handlerKind = process.argv[3] ?? 'hello';
if (kind !== 'kyoto' && kind !== 'node' && kind !== 'node-handler' && kind !== 'raw') throw new TypeError(`usage: http_server kyoto|node|node-handler|raw hello|sleep, got ${String(kind)}`);

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
  if (process.send === undefined) {
    // Run by hand (profiling: node --cpu-prof dist/bench/http_server.js kind handler).
    console.log(`listening on 127.0.0.1:${port}`);
    process.on('SIGINT', () => process.exit(0));
    return;
  }
  process.send({ port });
  process.on('message', (msg: { cmd: string }) => {
    if (msg.cmd === 'mem') process.send!({ mem: mem() });
    else if (msg.cmd === 'cpu') process.send!({ cpu: process.cpuUsage() });
    else if (msg.cmd === 'exit') process.exit(0);
  });
}

const RAW_RESPONSE = Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: text/plain;charset=UTF-8\r\nDate: ${new Date().toUTCString()}\r\nContent-Length: ${BODY.length}\r\n\r\n${BODY}`, 'latin1');

/** The raw responder's connection: a request ends at CRLF CRLF (wrk sends no bodies). */
function* rawConnection(stream: TcpStream): Gen<void> {
  let state = 0; // how much of CR LF CR LF was seen
  try {
    for (let c = yield* stream.readChunk(); c !== null; c = yield* stream.readChunk()) {
      let n = 0;
      for (let i = 0; i < c.length; i++) {
        const b = c[i];
        if (b === 13) state = state === 2 ? 3 : 1;
        else if (b === 10 && (state === 1 || state === 3)) {
          if (state === 3) {
            n++;
            state = 0;
          } else state = 2;
        } else state = 0;
      }
      if (n === 1) yield* stream.writeChunk(RAW_RESPONSE);
      else if (n > 1) yield* stream.writeChunk(Buffer.concat(Array.from({ length: n }, () => RAW_RESPONSE)));
    }
  } catch {
    // a reset connection ends like an EOF
  } finally {
    stream.close();
  }
}

const handler = handlerKind === 'sleep' ? sleepy : hello;
if (kind === 'raw') {
  const rt = new Runtime();
  await rt.blockOn(function* () {
    const l = yield* TcpListener.bind('127.0.0.1:0', { backlog: 16384 });
    ready(l.localAddr().port);
    for (;;) {
      const [stream] = yield* l.accept();
      stream.setNoDelay(true);
      spawn(rawConnection, stream);
    }
  });
} else if (kind === 'kyoto') {
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
