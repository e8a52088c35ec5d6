/**
 * A TCP proxy: each client is connected to the upstream and bytes flow both ways with
 * `copyBidirectional` (half-close is forwarded, memory is bounded by the socket buffers).
 *
 *   node dist/examples/tcp_proxy.js <listen addr> <upstream addr>
 *   node dist/examples/tcp_proxy.js 127.0.0.1:9000 127.0.0.1:8080
 */
import { pathToFileURL } from 'node:url';
import { IoError, TcpListener, TcpStream, copyBidirectional, ctrlC, run, select, spawn } from '../src/index.js';

/** Forwards one client to `upstream`; gives the bytes moved each way. */
export function* proxyClient(client: TcpStream, upstream: string) {
  let server: TcpStream | null = null;
  try {
    server = yield* TcpStream.connect(upstream);
    const [up, down] = yield* copyBidirectional(client, server);
    return up + down;
  } catch (e) {
    if (e instanceof IoError) {
      console.error(`proxy ${client.peerAddr()} -> ${upstream}: ${e.message}`);
      return 0;
    }
    throw e;
  } finally {
    client.close();
    server?.close();
  }
}

/** Accepts forever, a task per client. */
export function* proxyServer(listener: TcpListener, upstream: string) {
  for (;;) {
    const [client] = yield* listener.accept();
    spawn(proxyClient, client, upstream);
  }
}

function* main(listen: string, upstream: string) {
  const listener = yield* TcpListener.bind(listen);
  console.log(`proxy ${listener.localAddr()} -> ${upstream}`);
  yield* select({ serve: spawn(proxyServer, listener, upstream), stop: ctrlC() });
  listener.close();
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [listen, upstream] = process.argv.slice(2);
  if (listen === undefined || upstream === undefined) {
    console.error('usage: tcp_proxy <listen addr> <upstream addr>');
    process.exit(2);
  }
  await run(function* () {
    yield* main(listen, upstream);
  });
}
