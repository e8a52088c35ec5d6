/**
 * A reverse proxy on kyoto/http: each request is forwarded to the upstream with kyoto's
 * `fetch`, and the upstream's body is streamed back. When the downstream client leaves, its
 * request task is aborted, which drops the `fetch` future (or the body stream being relayed),
 * which aborts the upstream request: nothing keeps working for a client that is gone.
 *
 *   node dist/examples/http_proxy.js <listen port> <upstream base url>
 *   node dist/examples/http_proxy.js 9000 http://127.0.0.1:8080
 */
import { pathToFileURL } from 'node:url';
import { ctrlC, run, toReadable, type Gen } from '../src/index.js';
import { Response, fetch, serve, type HttpRequest } from '../src/http/index.js';

/** Headers that describe one hop, not the message. */
const HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'te', 'upgrade', 'proxy-connection', 'host', 'content-length']);

/** Forwards `req` to `upstream` (a base URL) and relays the answer. */
export function* proxy(req: HttpRequest, upstream: string): Gen<Response> {
  const headers = new Headers();
  for (const [k, v] of req.headers.entries()) if (!HOP.has(k)) headers.append(k, v);
  headers.set('x-forwarded-for', req.remoteAddr.ip);
  const init: RequestInit & { duplex?: 'half' } = { method: req.method, headers, redirect: 'manual' };
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    init.body = toReadable(req.body) as unknown as ReadableStream;
    init.duplex = 'half';
  }
  const res = yield* fetch(new URL(req.target, upstream), init);
  const out: [string, string][] = [];
  res.headers.forEach((v, k) => {
    if (!HOP.has(k) && k !== 'content-encoding') out.push([k, v]);
  });
  return new Response(res.body, { status: res.status, statusText: res.statusText, headers: out });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [port, upstream] = process.argv.slice(2);
  if (port === undefined || upstream === undefined) {
    console.error('usage: http_proxy <listen port> <upstream base url>');
    process.exit(2);
  }
  await run(function* () {
    const server = yield* serve({ port: Number(port) }, proxy, upstream);
    console.log(`proxy http://${server.addr} -> ${upstream}`);
    yield* ctrlC();
    yield* server.shutdown({ graceMs: 2000 });
  });
}
