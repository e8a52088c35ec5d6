import * as net from 'node:net';
import { fromPromise, pollFn, Pending, type Future } from '../../src/index.js';

/** A future ready after `ms` (tests only; time's `sleep` is the real thing). */
export function delay(ms: number): Future<void> {
  return fromPromise(new Promise<void>((r) => setTimeout(r, ms)));
}

/** The marker `pollOnceThenDrop` gives for a future that was still pending (and was dropped). */
export const DROPPED = 'dropped-while-pending' as const;

/** Polls `f` once inside the current task and drops it if it is still pending. */
export function pollOnceThenDrop<T>(f: Future<T>): Future<T | typeof DROPPED> {
  return pollFn((cx) => {
    const v = f.poll(cx);
    if (v !== Pending) return v;
    f.drop();
    return DROPPED;
  });
}

/** A raw Node client (the peer the kyoto side talks to). */
export function rawConnect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true }, () => resolve(s));
    s.once('error', reject);
  });
}

/** Reads a raw socket to its end. */
export function rawReadAll(s: net.Socket): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    s.on('data', (d: Buffer) => parts.push(d));
    s.once('end', () => resolve(Buffer.concat(parts)));
    s.once('error', reject);
  });
}

/** A raw Node server on 127.0.0.1 with a handler. */
export function rawServer(onConn: (s: net.Socket) => void): Promise<net.Server> {
  return new Promise((resolve) => {
    const srv = net.createServer({ allowHalfOpen: true }, onConn);
    srv.listen(0, '127.0.0.1', () => resolve(srv));
  });
}

export function portOf(srv: net.Server): number {
  return (srv.address() as net.AddressInfo).port;
}
