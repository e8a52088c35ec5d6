import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as net from 'node:net';
import { run, spawn, IoError, TcpListener, TcpStream, type JoinHandle } from '../../src/index.js';

function* echoOnce(listener: TcpListener) {
  const [stream] = yield* listener.accept();
  try {
    for (let c = yield* stream.readChunk(); c !== null; c = yield* stream.readChunk()) yield* stream.writeChunk(c);
    yield* stream.shutdown();
  } finally {
    stream.close();
  }
}

test('echo round trip between a kyoto listener and a kyoto client', async () => {
  const out = await run(function* () {
    const listener = yield* TcpListener.bind('127.0.0.1:0');
    const h = spawn(echoOnce, listener);
    const client = yield* TcpStream.connect(listener.localAddr());
    yield* client.writeAll(Buffer.from('hello kyoto'));
    yield* client.shutdown();
    const buf = Buffer.alloc(64);
    let total = 0;
    for (;;) {
      const n = yield* client.read(buf.subarray(total));
      if (n === 0) break;
      total += n;
    }
    yield* h;
    client.close();
    listener.close();
    return buf.toString('utf8', 0, total);
  });
  assert.equal(out, 'hello kyoto');
});
