/**
 * The default `Transport`: node:net for TCP and Unix sockets, node:dgram for UDP.
 *
 * Invariants: listeners are created with `pauseOnConnect` (an accepted connection reads nothing
 * until kyoto reads it) and sockets with `allowHalfOpen` (a FIN from the peer closes only the
 * read side, as in Tokio); each `done` callback runs once. Tested by every test in test/net/.
 * @module
 */
import type * as dgram from 'node:dgram';
import type * as net from 'node:net';
import { builtin } from '../util/node_builtins.js';
import { ensureNodeInternals } from './node_internals.js';
import { NodeStream } from './node_stream.js';
import type { RawAddr, RawListener, RawListenerEvents, RawUdp, RawUdpEvents, Transport } from './sys.js';

class NodeListener implements RawListener {
  constructor(readonly server: net.Server) {}

  attach(events: RawListenerEvents): void {
    const srv = this.server;
    srv.on('connection', (sock: net.Socket) => events.onConnection(new NodeStream(sock, true)));
    srv.on('error', (err: Error) => events.onError(err));
    srv.on('close', () => events.onClose());
  }

  address(): RawAddr | string {
    const a = this.server.address();
    if (a === null) return '';
    return typeof a === 'string' ? a : { address: a.address, port: a.port };
  }

  close(): void {
    this.server.close();
  }
}

function listen(opts: net.ListenOptions, done: (err: Error | null) => void): NodeListener {
  ensureNodeInternals(); // a mismatch fails the bind, not the first accept's event callback
  const server = builtin('node:net').createServer({ pauseOnConnect: true, allowHalfOpen: true });
  let answered = false;
  const onErr = (e: Error): void => {
    if (answered) return;
    answered = true;
    server.close();
    done(e);
  };
  server.once('error', onErr);
  server.once('listening', () => {
    if (answered) return;
    answered = true;
    server.removeListener('error', onErr);
    done(null);
  });
  server.listen(opts);
  return new NodeListener(server);
}

class NodeUdp implements RawUdp {
  constructor(readonly socket: dgram.Socket) {}

  attach(events: RawUdpEvents): void {
    const s = this.socket;
    s.on('message', (data: Buffer, rinfo: dgram.RemoteInfo) => events.onMessage(data, rinfo.address, rinfo.port));
    s.on('error', (err: Error) => events.onError(err));
    s.on('close', () => events.onClose());
  }

  address(): RawAddr {
    const a = this.socket.address();
    return { address: a.address, port: a.port };
  }

  send(data: Buffer, port: number, host: string | null, done: (err: Error | null) => void): void {
    if (host === null) this.socket.send(data, done);
    else this.socket.send(data, port, host, done);
  }

  sendQueueSize(): number {
    return this.socket.getSendQueueSize();
  }

  connect(port: number, host: string, done: (err: Error | null) => void): void {
    const s = this.socket;
    let answered = false;
    const onErr = (e: Error): void => {
      if (answered) return;
      answered = true;
      done(e);
    };
    s.once('error', onErr);
    s.connect(port, host, () => {
      s.removeListener('error', onErr);
      if (answered) return;
      answered = true;
      done(null);
    });
  }

  remoteAddress(): RawAddr | null {
    try {
      const a = this.socket.remoteAddress();
      return { address: a.address, port: a.port };
    } catch {
      return null;
    }
  }

  close(): void {
    try {
      this.socket.close();
    } catch {
      // already closed
    }
  }
}

/** @internal Node's transport. */
export const nodeTransport: Transport = {
  name: 'node',
  connectTcp(host: string, port: number): NodeStream {
    ensureNodeInternals(); // before a socket exists that a mismatch would leak
    return new NodeStream(builtin('node:net').connect({ host, port, allowHalfOpen: true }), true);
  },
  connectUnix(path: string): NodeStream {
    ensureNodeInternals(); // before a socket exists that a mismatch would leak
    return new NodeStream(builtin('node:net').connect({ path, allowHalfOpen: true }), true);
  },
  listenTcp(host: string, port: number, backlog: number, done: (err: Error | null) => void): RawListener {
    return listen({ host, port, backlog }, done);
  },
  listenUnix(path: string, backlog: number, done: (err: Error | null) => void): RawListener {
    return listen({ path, backlog }, done);
  },
  bindUdp(host: string, port: number, ipv6: boolean, done: (err: Error | null) => void): RawUdp {
    const sock = builtin('node:dgram').createSocket(ipv6 ? 'udp6' : 'udp4');
    let answered = false;
    const onErr = (e: Error): void => {
      if (answered) return;
      answered = true;
      try {
        sock.close();
      } catch {
        // never bound
      }
      done(e);
    };
    sock.once('error', onErr);
    sock.bind(port, host, () => {
      if (answered) return;
      answered = true;
      sock.removeListener('error', onErr);
      done(null);
    });
    return new NodeUdp(sock);
  },
};
