import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as net from 'node:net';
import {
  run,
  spawn,
  fromPromise,
  Runtime,
  IoError,
  AddrParseError,
  TcpListener,
  TcpStream,
  MAX_WRITE,
} from '../../src/index.js';
import { delay, portOf, rawConnect, rawReadAll, rawServer } from './helpers.js';

function* echoOnce(listener: TcpListener) {
  const [stream] = yield* listener.accept();
  try {
    for (let c = yield* stream.readChunk(); c !== null; c = yield* stream.readChunk()) yield* stream.writeChunk(c);
    yield* stream.shutdown();
  } finally {
    stream.close();
  }
}

function* readToEnd(s: TcpStream) {
  const parts: Buffer[] = [];
  for (let c = yield* s.readChunk(); c !== null; c = yield* s.readChunk()) parts.push(c);
  return Buffer.concat(parts);
}

test('echo round trip between a kyoto listener and a kyoto client', async () => {
  const out = await run(function* () {
    const listener = yield* TcpListener.bind('127.0.0.1:0');
    const h = spawn(echoOnce, listener);
    const client = yield* TcpStream.connect(listener.localAddr());
    yield* client.writeAll(Buffer.from('hello kyoto'));
    yield* client.shutdown();
    const got = yield* readToEnd(client);
    yield* h;
    client.close();
    listener.close();
    return got.toString();
  });
  assert.equal(out, 'hello kyoto');
});

test('bind accepts a port number, { host, port } and reports the real port; addresses are right', async () => {
  await run(function* () {
    const a = yield* TcpListener.bind({ host: '127.0.0.1', port: 0 });
    assert.equal(a.localAddr().ip, '127.0.0.1');
    assert.ok(a.localAddr().port > 0);
    const c = yield* TcpStream.connect(a.localAddr().port); // a bare port connects to 127.0.0.1
    const [s, peer] = yield* a.accept();
    assert.equal(peer.toString(), `127.0.0.1:${c.localAddr().port}`);
    assert.equal(s.peerAddr().port, c.localAddr().port);
    assert.equal(c.peerAddr().toString(), a.localAddr().toString());
    assert.equal(s.localAddr().port, a.localAddr().port);
    c.setNoDelay(true).setKeepAlive(true, 1000);
    c.close();
    s.close();
    a.close();
  });
});

test('bad addresses throw typed errors naming the value', () => {
  assert.throws(() => TcpListener.bind('nonsense'), (e: unknown) => e instanceof AddrParseError && /nonsense/.test((e as Error).message));
  assert.throws(() => TcpListener.bind('127.0.0.1:99999'), (e: unknown) => e instanceof RangeError && /99999/.test((e as Error).message));
  assert.throws(() => TcpStream.connect({ host: '127.0.0.1', port: -1 }), RangeError);
  assert.throws(() => TcpListener.bind('::1:80'), AddrParseError);
  assert.throws(() => TcpListener.bind('127.0.0.1:0', { backlog: 0 }), RangeError);
});

test('ECONNREFUSED and EADDRINUSE are IoErrors with the code and the address', async () => {
  // Find a free port, then close it so nothing listens there.
  const srv = await rawServer(() => {});
  const port = portOf(srv);
  await new Promise((r) => srv.close(r));
  await run(function* () {
    try {
      yield* TcpStream.connect(`127.0.0.1:${port}`);
      assert.fail('connect should fail');
    } catch (e) {
      assert.ok(e instanceof IoError);
      assert.equal(e.code, 'ECONNREFUSED');
      assert.match(e.message, new RegExp(`127\\.0\\.0\\.1:${port}`));
    }
    const l = yield* TcpListener.bind('127.0.0.1:0');
    try {
      yield* TcpListener.bind(l.localAddr());
      assert.fail('bind should fail');
    } catch (e) {
      assert.ok(e instanceof IoError);
      assert.equal(e.code, 'EADDRINUSE');
      assert.match(e.message, new RegExp(`${l.localAddr().port}`));
    }
    l.close();
  });
});

test('partial reads: a short buffer gets a prefix and the rest comes with the next read', async () => {
  const out = await run(function* () {
    const l = yield* TcpListener.bind('127.0.0.1:0');
    const c = yield* TcpStream.connect(l.localAddr());
    const [s] = yield* l.accept();
    yield* c.writeAll(Buffer.from('abcdefghij'));
    yield* c.shutdown();
    const small = Buffer.alloc(3);
    const got: string[] = [];
    let n: number;
    while ((n = yield* s.read(small)) > 0) got.push(small.toString('utf8', 0, n));
    assert.equal(yield* s.read(small), 0, 'EOF stays EOF');
    assert.equal(yield* s.readChunk(), null);
    c.close();
    s.close();
    l.close();
    return got;
  });
  assert.ok(out.every((p) => p.length <= 3));
  assert.equal(out.join(''), 'abcdefghij');
});

test('partial writes: write() takes at most MAX_WRITE bytes and reports how many', async () => {
  await run(function* () {
    const l = yield* TcpListener.bind('127.0.0.1:0');
    const c = yield* TcpStream.connect(l.localAddr());
    const [s] = yield* l.accept();
    const big = Buffer.alloc(MAX_WRITE * 3 + 17, 7);
    const n = yield* c.write(big);
    assert.ok(n > 0 && n <= MAX_WRITE, `wrote ${n}`);
    yield* c.writeAll(big.subarray(n));
    yield* c.shutdown();
    const got = yield* readToEnd(s);
    assert.equal(got.length, big.length);
    assert.ok(got.every((b) => b === 7));
    c.close();
    s.close();
    l.close();
  });
});

test('readExact fills the buffer across chunks and throws UNEXPECTED_EOF on a short stream', async () => {
  await run(function* () {
    const l = yield* TcpListener.bind('127.0.0.1:0');
    const c = yield* TcpStream.connect(l.localAddr());
    const [s] = yield* l.accept();
    yield* c.writeAll(Buffer.from('12'));
    yield* c.writeAll(Buffer.from('345'));
    const four = Buffer.alloc(4);
    yield* s.readExact(four);
    assert.equal(four.toString(), '1234');
    yield* c.shutdown();
    try {
      yield* s.readExact(Buffer.alloc(4));
      assert.fail('expected UNEXPECTED_EOF');
    } catch (e) {
      assert.ok(e instanceof IoError);
      assert.equal(e.code, 'UNEXPECTED_EOF');
      assert.match(e.message, /1 of 4 bytes/);
    }
    c.close();
    s.close();
    l.close();
  });
});

test('half-close: after the client shuts down its side the server still reads EOF and can reply', async () => {
  const out = await run(function* () {
    const l = yield* TcpListener.bind('127.0.0.1:0');
    const raw = yield* fromPromise(rawConnect(l.localAddr().port));
    const all = rawReadAll(raw);
    raw.end('question'); // FIN from the raw peer
    const [s] = yield* l.accept();
    const q = yield* readToEnd(s);
    assert.equal(q.toString(), 'question');
    yield* s.writeAll(Buffer.from('answer after your FIN'));
    yield* s.shutdown();
    try {
      yield* s.write(Buffer.from('x'));
      assert.fail('write after shutdown must fail');
    } catch (e) {
      assert.ok(e instanceof IoError);
      assert.equal(e.code, 'EPIPE');
    }
    const reply = yield* fromPromise(all);
    s.close();
    l.close();
    return reply.toString();
  });
  assert.equal(out, 'answer after your FIN');
});

test('reset by peer: read throws ECONNRESET and another connection is unaffected', async () => {
  await run(function* () {
    const l = yield* TcpListener.bind('127.0.0.1:0');
    const bad = yield* fromPromise(rawConnect(l.localAddr().port));
    const [s1] = yield* l.accept();
    const good = yield* TcpStream.connect(l.localAddr());
    const [s2] = yield* l.accept();
    bad.resetAndDestroy();
    try {
      for (;;) {
        const c = yield* s1.readChunk();
        if (c === null) assert.fail('expected a reset, got EOF');
      }
    } catch (e) {
      assert.ok(e instanceof IoError, String(e));
      assert.equal(e.code, 'ECONNRESET');
      assert.match(e.message, /127\.0\.0\.1:\d+/);
    }
    yield* good.writeAll(Buffer.from('still fine'));
    yield* good.shutdown();
    assert.equal((yield* readToEnd(s2)).toString(), 'still fine');
    s1.close();
    s2.close();
    good.close();
    l.close();
  });
});

function* pump(rd: import('../../src/index.js').ReadHalf<TcpStream>) {
  let n = 0;
  for (let c = yield* rd.readChunk(); c !== null; c = yield* rd.readChunk()) n += c.length;
  return n;
}
function* blast(wr: import('../../src/index.js').WriteHalf<TcpStream>, bytes: number) {
  const chunk = Buffer.alloc(8192, 1);
  for (let sent = 0; sent < bytes; sent += chunk.length) yield* wr.writeAll(chunk);
  yield* wr.shutdown();
}

test('split halves are used by two tasks at once in both directions', async () => {
  const [ab, ba] = await run(function* () {
    const l = yield* TcpListener.bind('127.0.0.1:0');
    const c = yield* TcpStream.connect(l.localAddr());
    const [s] = yield* l.accept();
    const [cr, cw] = c.split();
    const [sr, sw] = s.split();
    assert.equal(cr.reunite(cw), c);
    const total = 1 << 20; // 1 MiB each way, well over the socket buffers
    const h1 = spawn(blast, cw, total);
    const h2 = spawn(blast, sw, total);
    const h3 = spawn(pump, sr);
    const h4 = spawn(pump, cr);
    yield* h1;
    yield* h2;
    const r = [yield* h3, yield* h4];
    c.close();
    s.close();
    l.close();
    return r;
  });
  assert.equal(ab, 1 << 20);
  assert.equal(ba, 1 << 20);
});

test('flush waits for the write buffer; readable()/writable() readiness futures resolve', async () => {
  await run(function* () {
    const l = yield* TcpListener.bind('127.0.0.1:0');
    const c = yield* TcpStream.connect(l.localAddr());
    const [s] = yield* l.accept();
    yield* c.writable();
    yield* c.writeAll(Buffer.alloc(200_000, 3));
    const reader = spawn(readToEnd, s);
    yield* c.flush();
    assert.equal(c.socket.writableLength, 0);
    yield* c.shutdown();
    assert.equal((yield* reader).length, 200_000);
    yield* s.readable(); // at EOF: ready at once
    c.close();
    s.close();
    l.close();
  });
});

test('the I/O driver counts open registrations, reports metrics and lists sockets in dumps', async () => {
  const rt = new Runtime();
  await rt.blockOn(function* () {
    const l = yield* TcpListener.bind('127.0.0.1:0');
    const c = yield* TcpStream.connect(l.localAddr());
    const [s] = yield* l.accept();
    const m = rt.metrics();
    assert.equal(m['ioOpenRegistrations'], 3);
    assert.equal(m['ioTcpAccepted'], 1);
    assert.equal(m['ioTcpConnected'], 1);
    assert.equal(rt.executor.pendingWakeSources(), 3);
    const dump = rt.dump();
    assert.match(dump, /io driver: 3 open registration/);
    assert.match(dump, /tcp-listener 1/);
    yield* c.writeAll(Buffer.from('xyz'));
    assert.deepEqual(yield* s.readChunk(), Buffer.from('xyz'));
    assert.ok((rt.metrics()['ioBytesRead'] as number) >= 3);
    c.close();
    s.close();
    l.close();
    yield* delay(20);
    assert.equal(rt.metrics()['ioOpenRegistrations'], 0);
  });
  await rt.shutdown();
});

function* holdOpen(l: TcpListener) {
  const [s] = yield* l.accept();
  yield* s.readChunk(); // never completes: the runtime shuts down first
}

test('runtime shutdown closes sockets and listeners still open', async () => {
  const rt = new Runtime();
  let port = 0;
  const sock = await rt.blockOn(function* () {
    const l = yield* TcpListener.bind('127.0.0.1:0');
    port = l.localAddr().port;
    rt.spawn(holdOpen, l);
    return yield* TcpStream.connect(l.localAddr());
  });
  await new Promise((r) => setTimeout(r, 20));
  await rt.shutdown();
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(sock.isOpen(), false);
  assert.equal(rt.metrics()['ioOpenRegistrations'], 0);
  // The port is free again.
  const again = net.createServer();
  await new Promise<void>((resolve, reject) => {
    again.once('error', reject);
    again.listen(port, '127.0.0.1', () => resolve());
  });
  again.close();
});
