/**
 * A chat server: every line a client sends is broadcast to every other client. One task per
 * client; Ctrl-C shuts down gracefully: the listener closes, every client is told and its
 * connection closed, and the server waits for all client tasks before exiting.
 *
 *   node dist/examples/chat_server.js [addr]     (default 127.0.0.1:8081)
 *   nc 127.0.0.1 8081
 */
import { pathToFileURL } from 'node:url';
import {
  BufReader,
  BroadcastReceiver,
  BroadcastSender,
  CancellationToken,
  IoError,
  Lagged,
  TaskTracker,
  TcpListener,
  TcpStream,
  broadcast,
  byRef,
  ctrlC,
  run,
  select,
  type Future,
} from '../src/index.js';

/** One chat line. */
export interface ChatMessage {
  from: string;
  text: string;
}

/** Serves one client until it leaves or the server shuts down. */
export function* chatClient(stream: TcpStream, tx: BroadcastSender<ChatMessage>, stop: CancellationToken) {
  const me = stream.peerAddr().toString();
  const rx: BroadcastReceiver<ChatMessage> = tx.subscribe();
  const lines = new BufReader(stream, { maxLength: 4096 });
  try {
    yield* stream.writeAll(Buffer.from(`welcome ${me}\n`));
    tx.send({ from: 'server', text: `${me} joined` });
    for (;;) {
      // readLine and recv are cancel-safe: the branch that loses the race loses nothing.
      let ev;
      try {
        ev = yield* select({ line: lines.readLine(), msg: rx.recv(), stop: stop.cancelled() });
      } catch (e) {
        if (!(e instanceof Lagged)) throw e;
        yield* stream.writeAll(Buffer.from(`(missed ${e.n} messages)\n`));
        continue;
      }
      if (ev.key === 'stop') {
        yield* stream.writeAll(Buffer.from('server shutting down\n'));
        break;
      }
      if (ev.key === 'line') {
        if (ev.value === null) break; // the client left
        if (ev.value !== '') tx.send({ from: me, text: ev.value });
        continue;
      }
      const m = ev.value;
      if (m === undefined) break;
      if (m.from !== me) yield* stream.writeAll(Buffer.from(`[${m.from}] ${m.text}\n`));
    }
    if (!stop.isCancelled()) tx.send({ from: 'server', text: `${me} left` });
  } catch (e) {
    if (!(e instanceof IoError)) throw e; // a broken connection ends this client only
  } finally {
    rx.close();
    stream.close();
  }
}

/**
 * Runs the chat server on `listener` until `shutdown` is ready, then closes everything and
 * gives the number of clients served. `capacity`: messages a slow client may fall behind by
 * before it misses some (it is told how many). Client tasks are tracked by `clients`, a
 * `TaskTracker`: it keeps nothing of a client that left, so a long-running server does not grow
 * with every connection it ever had, and shutdown can still wait for the ones still connected.
 */
export function* chatServer(listener: TcpListener, shutdown: Future<void>, capacity = 256, clients = new TaskTracker()) {
  const [tx, first] = broadcast<ChatMessage>(capacity);
  first.close();
  const stop = new CancellationToken();
  let served = 0;
  try {
    for (;;) {
      // byRef: the losing branch of each select is dropped, but `shutdown` must live on.
      const ev = yield* select({ conn: listener.accept(), stop: byRef(shutdown) });
      if (ev.key === 'stop') break;
      const [stream] = ev.value;
      served++;
      clients.spawn(chatClient, stream, tx, stop);
    }
  } finally {
    shutdown.drop();
  }
  listener.close();
  stop.cancel();
  clients.close();
  yield* clients.wait(); // every client said goodbye and closed its connection
  tx.close();
  return served;
}

function* main(addr: string) {
  const listener = yield* TcpListener.bind(addr);
  console.log(`chat server listening on ${listener.localAddr()}`);
  const served = yield* chatServer(listener, ctrlC());
  console.log(`chat server stopped after serving ${served} client(s)`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run(function* () {
    yield* main(process.argv[2] ?? '127.0.0.1:8081');
  });
}

