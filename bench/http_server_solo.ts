/** Profiling helper: kyoto serve on 127.0.0.1:18181 (`hello` or `sleep`), exits on SIGINT. */
import { Runtime, sleep, type Gen } from '../src/index.js';
import { Response, serve, type HttpRequest } from '../src/http/index.js';
function* hello(_req: HttpRequest): Gen<Response> {
  return new Response('Hello, World!');
}
function* sleepy(_req: HttpRequest): Gen<Response> {
  yield* sleep(1);
  return new Response('Hello, World!');
}
process.on('SIGINT', () => process.exit(0));
await new Runtime().blockOn(function* () {
  const srv = yield* serve({ port: 18181 }, process.argv[2] === 'sleep' ? sleepy : hello);
  yield* srv.closed;
});
