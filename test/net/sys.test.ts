import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type Future, Runtime, TcpListener, TcpStream, UdpSocket, UnixListener, UnixStream, BufReader, IoError, spawn, copy } from '../../src/index.js';
import { setTransport, transport, defaultTransport } from '../../src/net/transport.js';
import { checkNodeInternals } from '../../src/net/node_internals.js';
import { MemNet } from './mem_transport.js';
import { MemSink } from './mem_io.js';

function* upperServer(l: TcpListener) {
  for (;;) {
    const acc = yield* caught(l.accept());
    if (!Array.isArray(acc)) return; // the listener closed
    const s = acc[0] as TcpStream;
    spawn(function* () {
      const rd = new BufReader(s);
      for (let line = yield* rd.readLine(); line !== null; line = yield* rd.readLine()) yield* s.writeAll(Buffer.from(`${line.toUpperCase()}\n`));
      yield* s.shutdown();
    });
  }
}

test('TCP, Unix and UDP run unchanged over a transport given to the runtime', async () => {
  const net = new MemNet();
  const rt = new Runtime();
  setTransport(rt, net.transport);
  assert.equal(transport(rt), net.transport);
  assert.equal(transport(), defaultTransport()); // other runtimes keep Node's
  const out = await rt.blockOn(function* () {
    const l = yield* TcpListener.bind('0.0.0.0:6379');
    assert.equal(l.localAddr().toString(), '0.0.0.0:6379');
    spawn(upperServer, l);
    const c = yield* TcpStream.connect('kv:6379'); // a host name: the transport resolves it
    yield* c.writeAll(Buffer.from('hello\nworld\n'));
    yield* c.shutdown();
    const lines = yield* new BufReader(c).lines().collect();
    assert.throws(() => c.socket, (e: unknown) => e instanceof IoError && e.code === 'UNSUPPORTED');
    // Refused: nobody listens on 7000.
    const refused = yield* caught(TcpStream.connect('10.0.0.9:7000'));
    assert.ok(refused instanceof IoError && refused.code === 'ECONNREFUSED', String(refused));
    // Unix sockets go through the same transport.
    const ul = yield* UnixListener.bind('/sim/app.sock');
    const uc = yield* UnixStream.connect('/sim/app.sock');
    const [us] = yield* ul.accept();
    yield* uc.writeAll(Buffer.from('u'));
    yield* uc.shutdown();
    const sink = new MemSink();
    yield* copy(us, sink);
    // UDP too.
    const a = yield* UdpSocket.bind('10.0.0.5:0');
    const b = yield* UdpSocket.bind('10.0.0.6:53');
    yield* a.sendTo(Buffer.from('query'), '10.0.0.6:53');
    const buf = Buffer.alloc(16);
    const [n, from] = yield* b.recvFrom(buf);
    assert.equal(from.toString(), a.localAddr().toString());
    l.close();
    ul.close();
    a.close();
    b.close();
    return [lines, sink.text(), buf.subarray(0, n).toString()];
  });
  await rt.shutdown();
  assert.deepEqual(out, [['HELLO', 'WORLD'], 'u', 'query']);
  assert.equal(net.connects, 3);
});

/** The value of `f`, or the error it throws. */
function* caught<T>(f: Future<T>) {
  try {
    return yield* f;
  } catch (e) {
    return e;
  }
}

test("Node's private stream fields kyoto reads are checked at load time", () => {
  assert.doesNotThrow(() => checkNodeInternals());
});
