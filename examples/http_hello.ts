/**
 * Hello world on kyoto/http: every request is a task named `METHOD /path`.
 *
 *   node dist/examples/http_hello.js [port]      then: curl http://127.0.0.1:8080/you
 */
import { pathToFileURL } from 'node:url';
import { ctrlC, run, type Gen } from '../src/index.js';
import { Response, serve, type HttpRequest } from '../src/http/index.js';

/** Greets the path; `/json` answers JSON; POST echoes the body. */
export function* hello(req: HttpRequest): Gen<Response> {
  if (req.path === '/json') return Response.json({ hello: 'world', from: req.remoteAddr.ip });
  if (req.method === 'POST') return new Response(`you sent ${yield* req.text()}\n`);
  return new Response(`hello ${req.path.slice(1) || 'world'}\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run(function* () {
    const server = yield* serve({ port: Number(process.argv[2] ?? 8080) }, hello);
    console.log(`listening on http://${server.addr}`);
    yield* ctrlC();
    yield* server.shutdown({ graceMs: 2000 });
  });
}
