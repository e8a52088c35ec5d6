import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Runtime, UdpSocket, IoError, type Future } from '../../src/index.js';
import { DROPPED, pollOnceThenDrop } from './helpers.js';

/** The value of `f`, or the error it throws. */
function* caught<T>(f: Future<T>) {
  try {
    return yield* f;
  } catch (e) {
    return e;
  }
}

test('UDP: an oversize datagram fails its own send with EMSGSIZE; no other datagram is lost', async () => {
  const rt = new Runtime();
  const got = await rt.blockOn(function* () {
    const rx = yield* UdpSocket.bind('127.0.0.1:0');
    const tx = yield* UdpSocket.bind('127.0.0.1:0');
    try {
      assert.equal(yield* tx.sendTo(Buffer.from('first'), rx.localAddr()), 5);
      const e = yield* caught(tx.sendTo(Buffer.alloc(70_000), rx.localAddr()));
      assert.ok(e instanceof IoError, `the oversize send itself fails, got ${String(e)}`);
      assert.equal(e.code, 'EMSGSIZE');
      assert.match(e.message, /70000 bytes/);
      assert.equal(yield* tx.sendTo(Buffer.from('second'), rx.localAddr()), 6);
      const buf = Buffer.alloc(100);
      const out: string[] = [];
      for (let i = 0; i < 2; i++) {
        const [n] = yield* rx.recvFrom(buf);
        out.push(buf.subarray(0, n).toString());
      }
      return out;
    } finally {
      rx.close();
      tx.close();
    }
  });
  await rt.shutdown();
  assert.deepEqual(got, ['first', 'second']);
  assert.equal(rt.metrics()['ioUdpDatagramsSent'], 2);
});

test('UDP: a connected socket reports an ICMP error once, then waits for data', async () => {
  const rt = new Runtime();
  const [err, second, data] = await rt.blockOn(function* () {
    // A port with nobody on it: bind, note the port, close.
    const probe = yield* UdpSocket.bind('127.0.0.1:0');
    const deadAddr = probe.localAddr();
    probe.close();
    const a = yield* UdpSocket.bind('127.0.0.1:0');
    try {
      yield* a.connect(deadAddr);
      yield* a.send(Buffer.from('anyone?')); // the kernel answers with "port unreachable"
      const buf = Buffer.alloc(64);
      const err = yield* caught(a.recv(buf));
      const second = yield* pollOnceThenDrop(a.recv(buf)); // must wait, not throw the same error again
      // Someone appears on that port and answers: the socket receives it.
      const b = yield* UdpSocket.bind(deadAddr);
      try {
        yield* b.sendTo(Buffer.from('here'), a.localAddr());
        const n = yield* a.recv(buf);
        return [err, second, buf.subarray(0, n).toString()] as const;
      } finally {
        b.close();
      }
    } finally {
      a.close();
    }
  });
  await rt.shutdown();
  assert.ok(err instanceof IoError && err.code === 'ECONNREFUSED', `first recv reports the ICMP error, got ${String(err)}`);
  assert.match(err.message, /^recv on 127\.0\.0\.1:\d+ failed/);
  assert.doesNotMatch(err.message, /udp udp/);
  assert.equal(second, DROPPED);
  assert.equal(data, 'here');
});
