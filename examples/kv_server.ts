/**
 * A line-protocol key-value server with a per-connection idle timeout.
 *
 *   SET key value   -> OK
 *   GET key         -> the value, or NIL
 *   DEL key         -> 1 or 0
 *   QUIT            -> BYE, then the server closes the connection
 *
 * A client silent for `idleMs` gets `ERR idle timeout` and is disconnected.
 *
 *   node dist/examples/kv_server.js [addr] [idleMs]     (default 127.0.0.1:8082, 30000)
 */
import { pathToFileURL } from 'node:url';
import { BufReader, Elapsed, IoError, TcpListener, TcpStream, ctrlC, run, select, spawn, timeout } from '../src/index.js';

/** Applies one command to the store; null means "close the connection". */
export function execute(store: Map<string, string>, line: string): string | null {
  const [cmd = '', key, ...rest] = line.trim().split(' ');
  switch (cmd.toUpperCase()) {
    case 'SET':
      if (key === undefined || rest.length === 0) return 'ERR usage: SET key value';
      store.set(key, rest.join(' '));
      return 'OK';
    case 'GET':
      if (key === undefined) return 'ERR usage: GET key';
      return store.get(key) ?? 'NIL';
    case 'DEL':
      if (key === undefined) return 'ERR usage: DEL key';
      return store.delete(key) ? '1' : '0';
    case 'QUIT':
      return null;
    default:
      return `ERR unknown command ${JSON.stringify(cmd)}`;
  }
}

/** Serves one connection; gives why it ended. */
export function* kvClient(stream: TcpStream, store: Map<string, string>, idleMs: number) {
  const rd = new BufReader(stream, { maxLength: 64 * 1024 });
  try {
    for (;;) {
      // readLine is cancel-safe, so timing it out loses no partial line state.
      const line = yield* timeout(idleMs, rd.readLine());
      if (line === null) return 'eof';
      const reply = execute(store, line);
      if (reply === null) {
        yield* stream.writeAll(Buffer.from('BYE\n'));
        return 'quit';
      }
      yield* stream.writeAll(Buffer.from(`${reply}\n`));
    }
  } catch (e) {
    if (e instanceof Elapsed) {
      yield* stream.writeAll(Buffer.from('ERR idle timeout\n'));
      return 'timeout';
    }
    if (e instanceof IoError) return `error ${e.code}`;
    throw e;
  } finally {
    stream.close();
  }
}

/** Accepts forever; all connections share one store. */
export function* kvServer(listener: TcpListener, idleMs: number, store = new Map<string, string>()) {
  for (;;) {
    const [stream] = yield* listener.accept();
    spawn(kvClient, stream, store, idleMs);
  }
}

function* main(addr: string, idleMs: number) {
  const listener = yield* TcpListener.bind(addr);
  console.log(`kv server listening on ${listener.localAddr()} (idle timeout ${idleMs} ms)`);
  yield* select({ serve: spawn(kvServer, listener, idleMs), stop: ctrlC() });
  listener.close();
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run(function* () {
    yield* main(process.argv[2] ?? '127.0.0.1:8082', Number(process.argv[3] ?? 30_000));
  });
}
