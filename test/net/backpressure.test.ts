import { test } from 'node:test';
import assert from 'node:assert/strict';
import { run, spawn, fromPromise, TcpListener, TcpStream, MAX_WRITE } from '../../src/index.js';
import { delay, rawConnect } from './helpers.js';

const state = { sent: 0 };

function* writer(s: TcpStream, total: number) {
  const chunk = Buffer.alloc(64 * 1024, 5);
  while (state.sent < total) {
    yield* s.writeAll(chunk);
    state.sent += chunk.length;
  }
  yield* s.shutdown();
}

/** Waits until `read()` stops changing (checked every 30 ms). */
function* settle(read: () => number) {
  let last = -1;
  for (let i = 0; i < 200; i++) {
    const v = read();
    if (v === last) return v;
    last = v;
    yield* delay(30);
  }
  return read();
}

test('a peer that stops reading stalls the writer; memory stays bounded; resuming drains everything', async () => {
  const TOTAL = 128 * 1024 * 1024;
  await run(function* () {
    const l = yield* TcpListener.bind('127.0.0.1:0');
    const raw = yield* fromPromise(rawConnect(l.localAddr().port));
    raw.pause(); // the peer stops reading
    const [s] = yield* l.accept();
    state.sent = 0;
    const heap0 = process.memoryUsage().arrayBuffers;
    const h = spawn(writer, s, TOTAL);
    const stalledAt = yield* settle(() => state.sent);
    assert.ok(!h.isFinished(), 'the writer must be stalled, not finished');
    assert.ok(stalledAt < TOTAL / 2, `writer stalled only after ${stalledAt} bytes`);
    // kyoto holds at most one high-water mark plus one piece in user space.
    assert.ok(s.socket.writableLength <= s.socket.writableHighWaterMark + MAX_WRITE, `buffered ${s.socket.writableLength}`);
    assert.ok(process.memoryUsage().arrayBuffers - heap0 < 32 * 1024 * 1024, 'buffer memory grew while stalled');
    // Resume: everything arrives, nothing was lost.
    let received = 0;
    const done = new Promise<void>((resolve) => {
      raw.on('data', (d: Buffer) => (received += d.length));
      raw.once('end', () => resolve());
    });
    raw.resume();
    yield* h;
    yield* fromPromise(done);
    assert.equal(received, state.sent);
    assert.ok(state.sent >= TOTAL);
    raw.destroy();
    s.close();
    l.close();
  });
});

test('a kyoto reader that does not read pushes back on the sender (bounded read buffer)', async () => {
  await run(function* () {
    const l = yield* TcpListener.bind('127.0.0.1:0');
    const raw = yield* fromPromise(rawConnect(l.localAddr().port));
    const [s] = yield* l.accept();
    let wrote = 0;
    let blocked = false;
    const chunk = Buffer.alloc(64 * 1024, 9);
    const fill = (): void => {
      while (wrote < 256 * 1024 * 1024) {
        wrote += chunk.length;
        if (!raw.write(chunk)) {
          blocked = true;
          return;
        }
      }
    };
    raw.on('drain', fill);
    fill();
    const stalled = yield* settle(() => wrote);
    assert.ok(blocked, 'the raw sender saw backpressure');
    assert.ok(stalled < 128 * 1024 * 1024, `sender kept going to ${stalled}`);
    // kyoto itself holds at most the read high-water mark plus one read (in its own queue or
    // in Node's, whichever mode the socket reads in).
    const held = s.raw.readableLength();
    assert.ok(held > 0 && held <= s.socket.readableHighWaterMark + 64 * 1024, `read buffer ${held}`);
    raw.removeListener('drain', fill);
    raw.end();
    let got = 0;
    for (let c = yield* s.readChunk(); c !== null; c = yield* s.readChunk()) got += c.length;
    assert.equal(got, wrote);
    raw.destroy();
    s.close();
    l.close();
  });
});
