// The console's event stream under a client that stops reading: bounded buffer, then closed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { Runtime, pending, type Gen } from '../../src/index.js';
import { ConsoleServer } from '../../src/console/server.js';
import { resolveConsoleOptions } from '../../src/console/config.js';

function* parkedWithALongName(): Gen<void> {
  yield* pending();
}

test('a stalled SSE client: frames coalesce, its buffer stays bounded, and it is closed', { timeout: 60_000 }, async () => {
  const rt = new Runtime();
  for (let i = 0; i < 3000; i++) rt.spawn(parkedWithALongName);
  const server = new ConsoleServer(rt, resolveConsoleOptions({ port: 0, host: '127.0.0.1', intervalMs: 250, maxTasks: 3000 }));
  server.limits.stallTicks = 6;
  const maxBuffered = server.limits.maxBufferedBytes;
  const port = await server.listen();
  const sock = connect(port, '127.0.0.1');
  try {
    await new Promise<void>((r) => sock.once('connect', () => r()));
    sock.write(`GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    sock.pause(); // reads nothing from now on
    let frameBytes = 0;
    let peak = 0;
    for (let i = 0; i < 200 && server.clientCount + server.clientsClosed === 0; i++) await new Promise((r) => setTimeout(r, 10));
    while (server.clientsClosed === 0 && server.ticks < 150) {
      await new Promise((r) => setTimeout(r, 50));
      const res = [...(server as unknown as { clients: Map<{ writableLength: number }, unknown> }).clients.keys()][0];
      if (res !== undefined) peak = Math.max(peak, res.writableLength);
      if (frameBytes === 0) frameBytes = JSON.stringify(rt.tasks()).length;
    }
    assert.equal(server.clientsClosed, 1, `the stalled client was closed (after ${server.ticks} updates, ${server.framesSkipped} skipped)`);
    assert.ok(server.framesSkipped > 0, 'frames were skipped rather than queued');
    assert.ok(peak <= maxBuffered + 2 * frameBytes, `buffered at most one frame past the limit (peak ${peak}, frame about ${frameBytes})`);
    assert.equal(server.clientCount, 0);
    sock.resume();
    await new Promise<void>((r) => sock.once('close', () => r()));
  } finally {
    sock.destroy();
    await server.close();
    await rt.shutdown();
  }
});
