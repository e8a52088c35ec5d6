import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { Runtime, run, spawn, IoError, UnixListener, UnixStream, UdpSocket } from '../../src/index.js';
import { delay } from './helpers.js';

const sockPath = (tag: string): string => join(tmpdir(), `kyoto-${process.pid}-${tag}.sock`);

function* unixEcho(l: UnixListener) {
  const [s, path] = yield* l.accept();
  assert.equal(path, l.localAddr());
  for (let c = yield* s.readChunk(); c !== null; c = yield* s.readChunk()) yield* s.writeChunk(c);
  yield* s.shutdown();
  s.close();
}

test('Unix sockets: echo with half-close, split, and typed errors', async () => {
  const p = sockPath('echo');
  rmSync(p, { force: true });
  await run(function* () {
    const l = yield* UnixListener.bind(p);
    const h = spawn(unixEcho, l);
    const c = yield* UnixStream.connect(p);
    const [rd, wr] = c.split();
    yield* wr.writeAll(Buffer.from('over a unix socket'));
    yield* wr.shutdown();
    const buf = Buffer.alloc(64);
    let n = 0;
    for (let k = yield* rd.read(buf.subarray(n)); k > 0; k = yield* rd.read(buf.subarray(n))) n += k;
    assert.equal(buf.toString('utf8', 0, n), 'over a unix socket');
    yield* h;
    try {
      yield* UnixListener.bind(p);
      assert.fail('second bind must fail');
    } catch (e) {
      assert.ok(e instanceof IoError);
      assert.equal(e.code, 'EADDRINUSE');
      assert.ok(e.message.includes(p));
    }
    c.close();
    l.close();
    try {
      yield* UnixStream.connect(sockPath('missing'));
      assert.fail('connect must fail');
    } catch (e) {
      assert.ok(e instanceof IoError);
      assert.equal(e.code, 'ENOENT');
      assert.ok(e.message.includes('missing'));
    }
  });
  assert.throws(() => UnixStream.connect(''), TypeError);
});

test('UDP: sendTo / recvFrom, connect / send / recv', async () => {
  await run(function* () {
    const a = yield* UdpSocket.bind('127.0.0.1:0');
    const b = yield* UdpSocket.bind('127.0.0.1:0');
    assert.equal(yield* a.sendTo(Buffer.from('ping'), b.localAddr()), 4);
    const buf = Buffer.alloc(1500);
    const [n, from] = yield* b.recvFrom(buf);
    assert.equal(buf.toString('utf8', 0, n), 'ping');
    assert.equal(from.toString(), a.localAddr().toString());
    yield* b.connect(from);
    assert.equal(b.peerAddr()?.toString(), a.localAddr().toString());
    yield* b.send(Buffer.from('pong'));
    const [m] = yield* a.recvFrom(buf);
    assert.equal(buf.toString('utf8', 0, m), 'pong');
    yield* a.sendTo(Buffer.from('again'), b.localAddr());
    const k = yield* b.recv(buf);
    assert.equal(buf.toString('utf8', 0, k), 'again');
    // Truncation to the buffer.
    yield* a.sendTo(Buffer.from('0123456789'), b.localAddr());
    const small = Buffer.alloc(4);
    assert.equal(yield* b.recv(small), 4);
    assert.equal(small.toString(), '0123');
    a.close();
    b.close();
    try {
      yield* b.recv(buf);
      assert.fail('recv on a closed socket must fail');
    } catch (e) {
      assert.ok(e instanceof IoError);
      assert.equal(e.code, 'CLOSED');
    }
  });
});

test('UDP: the receive queue is bounded and drops are counted in the metrics', async () => {
  const rt = new Runtime();
  await rt.blockOn(function* () {
    const rx = yield* UdpSocket.bind('127.0.0.1:0', { recvQueue: 4 });
    const tx = yield* UdpSocket.bind('127.0.0.1:0');
    for (let i = 0; i < 20; i++) yield* tx.sendTo(Buffer.from(`m${i}`), rx.localAddr());
    for (let i = 0; i < 100 && rx.droppedDatagrams() < 16; i++) yield* delay(10);
    assert.equal(rx.droppedDatagrams(), 16);
    assert.equal(rt.metrics()['ioUdpDropped'], 16);
    const buf = Buffer.alloc(16);
    const got: string[] = [];
    for (let i = 0; i < 4; i++) {
      const [n] = yield* rx.recvFrom(buf);
      got.push(buf.toString('utf8', 0, n));
    }
    assert.deepEqual(got, ['m0', 'm1', 'm2', 'm3']);
    rx.close();
    tx.close();
  });
  await rt.shutdown();
  assert.throws(() => UdpSocket.bind('127.0.0.1:0', { recvQueue: 0 }), RangeError);
});
