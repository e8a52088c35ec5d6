/**
 * Server-sent events from a kyoto `broadcast`: `GET /events` subscribes; one task per
 * subscriber turns broadcast messages into `data:` frames on a small channel whose receiver is
 * the response body. When the client disconnects the server drops the body stream, which closes
 * the channel, which ends the subscriber task (its `finally` unsubscribes): nothing leaks.
 * `POST /publish` broadcasts its body.
 *
 *   node dist/examples/http_sse.js [port]   then: curl -N http://127.0.0.1:8080/events
 *                                             and: curl -d hi http://127.0.0.1:8080/publish
 */
import { pathToFileURL } from 'node:url';
import {
  BroadcastReceiver,
  BroadcastSender,
  broadcast,
  ctrlC,
  fromReceiver,
  mpsc,
  run,
  select,
  spawnNamed,
  type Gen,
} from '../src/index.js';
import { Response, serve, type HttpRequest } from '../src/http/index.js';

/** Subscriber tasks alive now (the test checks it returns to 0). */
export const live = { subscribers: 0 };

/** Forwards broadcast messages as SSE frames until the client's channel closes. */
export function* subscriber(rx: BroadcastReceiver<string>, tx: mpsc.Sender<Uint8Array>) {
  live.subscribers++;
  try {
    yield* tx.send(Buffer.from(': subscribed\n\n'));
    for (;;) {
      const r = yield* select({ msg: rx.recv(), gone: tx.closed() });
      if (r.key === 'gone' || r.value === undefined) return;
      yield* tx.send(Buffer.from(`data: ${r.value.replace(/\n/g, '\ndata: ')}\n\n`));
    }
  } catch {
    // the client's channel closed while a frame was being sent
  } finally {
    rx.close();
    live.subscribers--;
  }
}

/** The SSE app: `/events` streams, `/publish` broadcasts. */
export function* sse(req: HttpRequest, hub: BroadcastSender<string>): Gen<Response> {
  if (req.path === '/events') {
    const [tx, body] = mpsc.channel<Uint8Array>(16);
    spawnNamed(`sse ${req.remoteAddr}`, subscriber, hub.subscribe(), tx);
    return new Response(fromReceiver(body), { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' } });
  }
  if (req.path === '/publish' && req.method === 'POST') {
    const n = hub.send(yield* req.text());
    return new Response(`delivered to ${n}\n`);
  }
  return new Response('not found\n', { status: 404 });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run(function* () {
    const [hub, unused] = broadcast<string>(64);
    unused.close(); // only the subscribers' receivers count
    const server = yield* serve({ port: Number(process.argv[2] ?? 8080) }, sse, hub);
    console.log(`SSE on http://${server.addr}/events`);
    yield* ctrlC();
    yield* server.shutdown({ graceMs: 1000 });
  });
}
