import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Runtime, UdpSocket, TcpListener, TcpStream, IO_KEY, IoDriver, Registration, READABLE } from '../../src/index.js';
import { delay } from './helpers.js';

test('I/O futures spend the coop budget: a receiver that always finds data still yields', async () => {
  const rt = new Runtime();
  try {
    await rt.blockOn(function* () {
      const rx = yield* UdpSocket.bind('127.0.0.1:0', { recvQueue: 1024 });
      const tx = yield* UdpSocket.bind('127.0.0.1:0');
      try {
        for (let i = 0; i < 200; i++) yield* tx.sendTo(Buffer.from([i & 255]), rx.localAddr());
        const queued = (): number => rx.resourceInfo().details?.['queued'] as number;
        // Loopback delivers all 200, but on a loaded machine they may take a while to arrive.
        for (let i = 0; i < 200 && queued() < 200; i++) yield* delay(10);
        const n = queued();
        assert.ok(n > 128, `only ${n} datagrams arrived`);
        const before = rt.metrics().budgetForcedYieldCount;
        const buf = Buffer.alloc(4);
        for (let i = 0; i < n; i++) yield* rx.recv(buf); // every recv is ready at once
        yield* delay(5); // the executor folds forced yields into the metrics when a drain ends
        assert.ok(rt.metrics().budgetForcedYieldCount - before >= 1, 'the budget forced the task to yield');
      } finally {
        rx.close();
        tx.close();
      }
    });
  } finally {
    await rt.shutdown();
  }
});

function* waitForData(s: TcpStream) {
  return (yield* s.readChunk())?.toString();
}

test('a task waiting on an open socket is not reported as deadlocked, and wakes when data comes', async () => {
  const rt = new Runtime();
  const [l, c] = await rt.blockOn(function* () {
    const l = yield* TcpListener.bind('127.0.0.1:0');
    return [l, yield* TcpStream.connect(l.localAddr())] as const;
  });
  const [s] = await rt.blockOn(l.accept());
  const got = rt.blockOn(waitForData, s); // nothing to read yet: only the socket can wake it
  await new Promise((r) => setTimeout(r, 100));
  assert.ok(rt.executor.pendingWakeSources() >= 3);
  await rt.blockOn(c.writeAll(Buffer.from('late')));
  assert.equal(await got, 'late');
  assert.match(rt.dump(), /io driver: \d+ open registration/);
  c.close();
  s.close();
  l.close();
  await rt.shutdown();
});

class FakeResource {
  readonly reg: Registration;
  closed = false;
  constructor(driver: IoDriver) {
    this.reg = new Registration('fake', driver, this);
  }
  label(): string {
    return 'fake #1';
  }
  forceClose(): void {
    this.closed = true;
  }
}

function* awaitReadable(r: FakeResource) {
  yield* r.reg.readable();
  return 'woken';
}

test('Registration: readiness futures, describe() lines, deregistration and shutdown close', async () => {
  const rt = new Runtime();
  const driver = rt.driver(IO_KEY, () => new IoDriver());
  const res = new FakeResource(driver);
  assert.equal(driver.pendingWakeSources(), 1);
  const h = rt.spawn(awaitReadable, res);
  await new Promise((r) => setTimeout(r, 10));
  assert.ok(!h.isFinished());
  assert.match(driver.describe().join('\n'), /io fake fake #1: not ready; waited on by a reader/);
  res.reg.setReadiness(READABLE);
  assert.equal(await h, 'woken');
  const other = new FakeResource(driver);
  other.reg.deregister();
  other.reg.deregister(); // idempotent
  assert.equal(driver.pendingWakeSources(), 1);
  await rt.shutdown();
  assert.equal(res.closed, true);
  assert.equal(driver.pendingWakeSources(), 0);
});
