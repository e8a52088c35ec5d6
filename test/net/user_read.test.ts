import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as net from 'node:net';
import fc from 'fast-check';
import { run, fromPromise, TcpListener, TcpStream, UnixListener, UnixStream } from '../../src/index.js';
import { NodeStream } from '../../src/net/node_stream.js';
import { userReadAvailable } from '../../src/net/node_internals.js';
import { delay, rawConnect } from './helpers.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

test('sockets kyoto accepts and connects read through the shared buffer; a wrapped user socket does not', async () => {
  assert.ok(userReadAvailable(), `Node ${process.version} lacks the user-buffer read fields`);
  await run(function* () {
    const l = yield* TcpListener.bind('127.0.0.1:0');
    const c = yield* TcpStream.connect(`127.0.0.1:${l.localAddr().port}`);
    const [s] = yield* l.accept();
    assert.ok(s.raw instanceof NodeStream && s.raw.userRead, 'accepted');
    assert.ok(c.raw instanceof NodeStream && c.raw.userRead, 'connected');
    const path = join(tmpdir(), `kyoto-user-read-${process.pid}.sock`);
    const ul = yield* UnixListener.bind(path);
    const uc = yield* UnixStream.connect(path);
    const [us] = yield* ul.accept();
    assert.ok(us.raw instanceof NodeStream && us.raw.userRead, 'unix accepted');
    yield* uc.writeAll(Buffer.from('over unix'));
    yield* uc.shutdown();
    const got: Buffer[] = [];
    for (let ch = yield* us.readChunk(); ch !== null; ch = yield* us.readChunk()) got.push(ch);
    assert.equal(Buffer.concat(got).toString(), 'over unix');
    // A socket handed in by the user may already be flowing or hold data: it stays in paused mode.
    const sock = yield* fromPromise(rawConnect(l.localAddr().port));
    const w = new NodeStream(sock);
    assert.equal(w.userRead, false);
    sock.destroy();
    for (const x of [c, s, uc, us]) x.close();
    l.close();
    ul.close();
  });
});

test('chunks that arrive while nobody reads are queued and come out as one chunk, in order', async () => {
  await run(function* () {
    const l = yield* TcpListener.bind('127.0.0.1:0');
    const raw = yield* fromPromise(rawConnect(l.localAddr().port));
    raw.setNoDelay(true);
    const [s] = yield* l.accept();
    for (const part of ['one,', 'two,', 'three']) {
      raw.write(part);
      yield* delay(20); // separate reads on the server side
    }
    assert.equal(s.raw.readableLength(), 'one,two,three'.length);
    const first = yield* s.readChunk();
    assert.equal(first?.toString(), 'one,two,three');
    assert.equal(s.raw.readableLength(), 0);
    raw.end('!');
    const rest: string[] = [];
    for (let ch = yield* s.readChunk(); ch !== null; ch = yield* s.readChunk()) rest.push(ch.toString());
    assert.deepEqual(rest, ['!']);
    s.close();
    l.close();
  });
});

test('bytes sent with the FIN before kyoto accepted the connection are all read, then the EOF', async () => {
  await run(function* () {
    const l = yield* TcpListener.bind('127.0.0.1:0');
    const port = l.localAddr().port;
    yield* fromPromise(
      new Promise<void>((resolve) => {
        const c = net.connect({ host: '127.0.0.1', port }, () => c.end('early bytes', () => resolve()));
      }),
    );
    yield* delay(20);
    const [s] = yield* l.accept();
    const got: Buffer[] = [];
    for (let ch = yield* s.readChunk(); ch !== null; ch = yield* s.readChunk()) got.push(ch);
    assert.equal(Buffer.concat(got).toString(), 'early bytes');
    s.close();
    l.close();
  });
});

test('whatever the write sizes and pauses, the reader gets every byte once, in order (property)', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.record({ size: fc.integer({ min: 1, max: 100_000 }), pause: fc.boolean() }), { minLength: 1, maxLength: 12 }), async (writes) => {
      const total = writes.reduce((n, w) => n + w.size, 0);
      const sent = Buffer.alloc(total);
      for (let i = 0; i < total; i++) sent[i] = (i * 7 + (i >> 8)) & 0xff;
      const got = await run(function* () {
        const l = yield* TcpListener.bind('127.0.0.1:0');
        const raw = yield* fromPromise(rawConnect(l.localAddr().port));
        const [s] = yield* l.accept();
        const feed = (async () => {
          let off = 0;
          for (const w of writes) {
            raw.write(sent.subarray(off, off + w.size));
            off += w.size;
            if (w.pause) await new Promise((r) => setTimeout(r, 2));
          }
          raw.end();
        })();
        const parts: Buffer[] = [];
        for (let ch = yield* s.readChunk(); ch !== null; ch = yield* s.readChunk()) {
          parts.push(ch);
          if (parts.length % 3 === 0) yield* delay(1); // a slow reader now and then: the queue fills
        }
        yield* fromPromise(feed);
        raw.destroy();
        s.close();
        l.close();
        return Buffer.concat(parts);
      });
      assert.equal(got.length, total);
      assert.ok(got.equals(sent), 'bytes differ');
    }),
    { numRuns: 25 },
  );
});
