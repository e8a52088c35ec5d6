/**
 * Helpers of the http tests: raw socket exchanges with a bound wait, response splitting.
 */
import * as net from 'node:net';
import { sleep, type Gen, type TcpStream } from '../../src/index.js';
import { Response, type HttpRequest } from '../../src/http/index.js';

/** Sends `raw` (optionally half-closing), resolves with everything read until the server closes. */
export function rawExchange(port: number, raw: string | Buffer, waitMs = 5000): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      s.destroy();
      resolve(Buffer.concat(chunks).toString('latin1') + '[hang]');
    }, waitMs);
    s.on('data', (d) => chunks.push(d));
    s.on('error', () => {});
    s.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('latin1'));
    });
    s.write(typeof raw === 'string' ? Buffer.from(raw, 'latin1') : raw);
  });
}

/** A connected raw socket and a promise of its first `n` bytes... or of its first data. */
export function rawConnect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => resolve(s));
    s.on('error', reject);
  });
}

/** Resolves once `s` received data containing `marker`. */
export function readUntil(s: net.Socket, marker: string): Promise<string> {
  return new Promise((resolve) => {
    let acc = '';
    const on = (d: Buffer): void => {
      acc += d.toString('latin1');
      if (acc.includes(marker)) {
        s.off('data', on);
        resolve(acc);
      }
    };
    s.on('data', on);
  });
}

/** Status codes of the responses in a raw reply, in order. */
export function statuses(out: string): number[] {
  return [...out.matchAll(/HTTP\/1\.[01] (\d{3})/g)].map((m) => Number(m[1]));
}

/** Resolves after the socket closed. */
export function closed(s: net.Socket): Promise<void> {
  return new Promise((resolve) => (s.destroyed ? resolve() : s.once('close', () => resolve())));
}

/**
 * A handler that waits (60 s) until its client leaves, and what it saw: `events` gets 'signal'
 * when `req.signal` aborts and 'finally' when its `finally` runs; `inHandler` resolves once it
 * runs, `finished` once its `finally` has run.
 */
export function abortProbe(): {
  h: (req: HttpRequest) => Gen<Response>;
  events: string[];
  inHandler: Promise<void>;
  finished: Promise<void>;
} {
  const events: string[] = [];
  let entered!: () => void;
  const inHandler = new Promise<void>((r) => (entered = r));
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  function* h(req: HttpRequest): Gen<Response> {
    req.signal.addEventListener('abort', () => events.push('signal'));
    try {
      entered();
      yield* sleep(60_000);
      return new Response('never');
    } finally {
      events.push('finally');
      done();
    }
  }
  return { h, events, inHandler, finished };
}

/** The upgraded side of the upgrade tests: upper-cases what it reads until a '.', then closes. */
export function* echoUpperUntilDot(s: TcpStream): Gen<void> {
  try {
    for (let c = yield* s.readChunk(); c !== null; c = yield* s.readChunk()) {
      yield* s.writeAll(Buffer.from(c.toString().toUpperCase()));
      if (c.includes('.')) break;
    }
  } finally {
    s.close();
  }
}
