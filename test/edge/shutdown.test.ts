import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Runtime, TcpListener, TcpStream, sleep, yieldNow, type Gen } from '../../src/index.js';

/** A TCP peer that accepts and never sends; resolves `closed` when kyoto closes its side. */
async function silentPeer(): Promise<{ port: number; closed: Promise<void>; stop: () => Promise<void> }> {
  let closedResolve!: () => void;
  const closed = new Promise<void>((r) => (closedResolve = r));
  const sockets: Socket[] = [];
  const server = createServer((s) => {
    sockets.push(s);
    s.on('close', () => closedResolve());
    s.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    closed,
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function* stuckInFinally(port: number, state: { inFinally: boolean; sleeping: boolean }): Gen<void> {
  const s = yield* TcpStream.connect(`127.0.0.1:${port}`);
  state.sleeping = true;
  try {
    yield* sleep(60_000);
  } finally {
    state.inFinally = true;
    yield* s.readChunk(); // the peer never sends: this cleanup never ends by itself
  }
}

test('shutdown({ timeoutMs }) resolves with a task stuck in an awaiting finally, and closes its socket and listener', async () => {
  const peer = await silentPeer();
  try {
    const rt = new Runtime();
    const state = { inFinally: false, sleeping: false };
    const listenerPort = await rt.blockOn(function* () {
      const l = yield* TcpListener.bind('127.0.0.1:0');
      rt.spawn(function* acceptLoop() {
        for (;;) yield* l.accept();
      });
      rt.spawn(stuckInFinally, peer.port, state);
      // Wait until the task is inside its `try` (a loaded machine can take longer than any fixed sleep).
      while (!state.sleeping) yield* sleep(5);
      return l.localAddr().port;
    });
    // Without a timeout, shutdown waits for the stuck finally.
    const plain = rt.shutdown();
    const first = await Promise.race([plain.then(() => 'resolved'), new Promise((r) => setTimeout(() => r('pending'), 100))]);
    assert.equal(first, 'pending');
    assert.equal(state.inFinally, true);
    // With one, it resolves once the grace period ends (both promises do).
    await rt.shutdown({ timeoutMs: 20 });
    await plain;
    assert.equal(rt.isShutdown(), true);
    await peer.closed; // kyoto closed its side of the stuck task's connection
    const refused = await new Promise<string>((resolve) => {
      const c = connect(listenerPort, '127.0.0.1');
      c.on('connect', () => {
        c.destroy();
        resolve('connected');
      });
      c.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    });
    assert.equal(refused, 'ECONNREFUSED');
    assert.ok((rt.shutdownCtl as unknown as { abandoned: number }).abandoned >= 1);
  } finally {
    await peer.stop(); // also when an assertion failed: an open peer would keep the file running
  }
});

test('shutdown({ timeoutMs }) whose tasks finish in time resolves as soon as they did', async () => {
  const rt = new Runtime();
  const log: string[] = [];
  rt.spawn(function* quick(): Gen<void> {
    try {
    yield* sleep(60_000);
    } finally {
      yield* yieldNow();
      log.push('cleaned up');
    }
  });
  await new Promise((r) => setTimeout(r, 5));
  await rt.shutdown({ timeoutMs: 60_000 }); // would hang the file for a minute if it waited it out
  assert.deepEqual(log, ['cleaned up']);
  assert.throws(() => new Runtime().shutdown({ timeoutMs: -1 }), /timeoutMs must be a non-negative number/);
});
