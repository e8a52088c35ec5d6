// The simulated network: name resolution and addresses, ordered reliable streams with
// half-close, refused connections, datagrams with loss and partitions, ports in use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sim } from '../../src/sim/index.js';
import { IoError, TcpListener, TcpStream, UdpSocket, sleep, type Gen } from '../../src/index.js';

function* echoOnce(): Gen<void> {
  const l = yield* TcpListener.bind('0.0.0.0:9000');
  const [s, from] = yield* l.accept();
  assert.equal(from.ip, '10.0.0.2', 'the client host address');
  const got: Buffer[] = [];
  for (let c = yield* s.readChunk(); c !== null; c = yield* s.readChunk()) got.push(c);
  // The peer half-closed: we can still answer.
  yield* s.writeAll(Buffer.concat(got).reverse());
  s.close();
}

test('streams: bytes arrive in order, half-close gives EOF and the other direction still works', async () => {
  let reply = '';
  await new Sim({ seed: 3, latencyMs: [1, 20] })
    .host('srv', echoOnce)
    .client('cli', function* () {
      const s = yield* TcpStream.connect('srv:9000');
      assert.equal(s.peerAddr().port, 9000);
      assert.ok(s instanceof TcpStream, 'kyoto\'s own TcpStream, over the simulated transport');
      for (const part of ['ab', 'cd', 'ef', 'gh', 'ij']) yield* s.writeAll(Buffer.from(part));
      yield* s.shutdown();
      const out: Buffer[] = [];
      for (let c = yield* s.readChunk(); c !== null; c = yield* s.readChunk()) out.push(c);
      reply = Buffer.concat(out).toString();
      s.close();
    })
    .run();
  assert.equal(reply, 'jihgfedcba');
});

test('connecting to a port nobody listens on is refused; to an unknown host, not found', async () => {
  const codes: string[] = [];
  await new Sim({ seed: 1 })
    .host('srv', function* () { yield* sleep(1_000_000); })
    .client('cli', function* () {
      for (const addr of ['srv:1234', 'nowhere:80']) {
        try {
          yield* TcpStream.connect(addr);
        } catch (e) {
          assert.ok(e instanceof IoError);
          codes.push(e.code);
        }
      }
    })
    .run();
  assert.deepEqual(codes, ['ECONNREFUSED', 'ENOTFOUND']);
});

test('binding a port twice on one host is EADDRINUSE; the same port on two hosts is fine', async () => {
  let code = '';
  await new Sim({ seed: 1 })
    .client('a', function* () {
      yield* TcpListener.bind('0.0.0.0:80');
      try {
        yield* TcpListener.bind('0.0.0.0:80');
      } catch (e) {
        code = (e as IoError).code;
      }
    })
    .client('b', function* () { yield* TcpListener.bind('0.0.0.0:80'); })
    .run();
  assert.equal(code, 'EADDRINUSE');
});

function* udpSink(counts: { got: number }): Gen<void> {
  const sock = yield* UdpSocket.bind('0.0.0.0:5000');
  const buf = Buffer.alloc(64);
  for (;;) {
    const [n, from] = yield* sock.recvFrom(buf);
    assert.equal(from.ip, '10.0.0.2');
    assert.equal(buf.subarray(0, n).toString(), 'ping');
    counts.got++;
  }
}

function* udpSender(): Gen<void> {
  const sock = yield* UdpSocket.bind('0.0.0.0:0');
  for (let i = 0; i < 200; i++) {
    yield* sock.sendTo(Buffer.from('ping'), 'sink:5000');
    yield* sleep(1);
  }
  yield* sleep(50);
}

test('datagrams are lost at the loss rate, and all of them during a partition', async () => {
  const lossy = { got: 0 };
  await new Sim({ seed: 21, lossRate: 0.25 }).host('sink', udpSink, lossy).client('src', udpSender).run();
  assert.ok(lossy.got > 100 && lossy.got < 190, `${lossy.got} of 200 arrived at 25% loss`);

  const cut = { got: 0 };
  const sim = new Sim({ seed: 21 }).host('sink', udpSink, cut).client('src', udpSender);
  sim.at(0, () => sim.partition('sink', 'src'));
  sim.at(100, () => sim.repair('sink', 'src'));
  await sim.run();
  assert.ok(cut.got >= 95 && cut.got <= 101, `${cut.got} arrived: only those sent after the repair`);
});

test('outside a simulated host the real sockets still work during a run', async () => {
  let real = false;
  await new Sim({ seed: 1 })
    .client('c', function* () { yield* sleep(10); })
    .run();
  // After the run the statics are the real ones again.
  const { Runtime } = await import('../../src/index.js');
  const rt = new Runtime();
  await rt.blockOn(function* () {
    const l = yield* TcpListener.bind('127.0.0.1:0');
    real = l.localAddr().ip === '127.0.0.1';
    l.close();
  });
  await rt.shutdown();
  assert.ok(real);
});
