/**
 * The seeds' echo server on kyoto: an accept loop that spawns one task per connection.
 *
 *   node dist/examples/echo_server.js [addr]     (default 127.0.0.1:8080; Ctrl-C stops it)
 *
 * `handleClient` is the seeds' `read_and_echo` in a loop: read into a buffer, write it back.
 * `handleClientZeroCopy` forwards the chunks libuv received without copying and keeps no
 * buffer of its own while idle (the benchmark uses it).
 */
import { pathToFileURL } from 'node:url';
import { IoError, TcpListener, TcpStream, ctrlC, run, select, spawn } from '../src/index.js';

/** Echoes until EOF: read into a 1 KiB buffer, write the bytes back. */
export function* handleClient(stream: TcpStream) {
  const buf = Buffer.alloc(1024);
  try {
    for (;;) {
      const n = yield* stream.read(buf);
      if (n === 0) break; // the client closed its side
      yield* stream.writeAll(buf.subarray(0, n));
    }
  } catch (e) {
    if (!(e instanceof IoError)) throw e; // a reset connection ends this client only
  } finally {
    stream.close();
  }
}

/** Echoes until EOF without copying: each received chunk is handed back to the socket. */
export function* handleClientZeroCopy(stream: TcpStream) {
  try {
    for (let c = yield* stream.readChunk(); c !== null; c = yield* stream.readChunk()) {
      yield* stream.writeChunk(c);
    }
  } catch (e) {
    if (!(e instanceof IoError)) throw e;
  } finally {
    stream.close();
  }
}

/** Accepts forever, one task per client. */
export function* echoServer(listener: TcpListener, zeroCopy = false) {
  for (;;) {
    const [stream] = yield* listener.accept();
    stream.setNoDelay(true);
    if (zeroCopy) spawn(handleClientZeroCopy, stream);
    else spawn(handleClient, stream);
  }
}

function* main(addr: string) {
  const listener = yield* TcpListener.bind(addr);
  console.log(`echo server listening on ${listener.localAddr()}`);
  yield* select({ serve: spawn(echoServer, listener, process.argv.includes('--zero-copy')), stop: ctrlC() });
  listener.close();
  console.log('echo server stopped');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run(function* () {
    yield* main(process.argv.slice(2).find((a) => !a.startsWith('--')) ?? '127.0.0.1:8080');
  });
}
