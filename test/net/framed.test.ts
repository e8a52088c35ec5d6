import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  run,
  spawn,
  Framed,
  FramedRead,
  FramedWrite,
  BufWriter,
  LinesCodec,
  TcpListener,
  TcpStream,
  BufReader,
  writeAll,
  flush,
  type AsyncRead,
  type AsyncWrite,
  type Context,
  type Poll,
} from '../../src/index.js';
import { MemSink, MemSource } from './mem_io.js';

test('FramedWrite: feed buffers, flush writes the batch once, send flushes', async () => {
  const sink = new MemSink();
  await run(function* () {
    const out = new FramedWrite(sink, new LinesCodec());
    yield* out.feed('a');
    yield* out.feed('b');
    yield* out.feed('c');
    assert.equal(sink.writes, 0, 'nothing is written before flush');
    assert.equal(out.buffered(), 6);
    yield* out.flush();
    assert.equal(sink.writes, 1);
    yield* out.send('d');
    assert.equal(sink.writes, 2);
  });
  assert.equal(sink.text(), 'a\nb\nc\nd\n');
});

test('FramedWrite: feeding past the buffer writes it out first and loses nothing', async () => {
  const sink = new MemSink(1000); // partial writes, Pending every other poll
  const lines = Array.from({ length: 3000 }, (_, i) => `line ${i} ${'x'.repeat(i % 50)}`);
  await run(function* () {
    const out = new FramedWrite(sink, new LinesCodec());
    for (const l of lines) yield* out.feed(l);
    yield* out.feed('y'.repeat(10_000)); // larger than the buffer: goes out without a copy
    yield* out.flush();
  });
  assert.equal(sink.text(), lines.map((l) => `${l}\n`).join('') + 'y'.repeat(10_000) + '\n');
});

test('FramedRead.tryReadFrame takes what is buffered and never waits or reads', async () => {
  const got = await run(function* () {
    const fr = new FramedRead(new MemSource([Buffer.from('a\nb\nc\nd'), Buffer.from('\n')]), new LinesCodec());
    assert.equal(fr.tryReadFrame(), undefined, 'nothing buffered yet');
    const out: (string | null | undefined)[] = [yield* fr.readFrame()];
    for (let f = fr.tryReadFrame(); f !== undefined; f = fr.tryReadFrame()) out.push(f);
    out.push(fr.tryReadFrame()); // 'd' has no newline yet: not a whole frame
    out.push((yield* fr.readFrame()) ?? 'EOF', (yield* fr.readFrame()) ?? 'EOF');
    return out;
  });
  assert.deepEqual(got, ['a', 'b', 'c', undefined, 'd', 'EOF']);
});

test('property: BufWriter passes any mix of writes and flushes through in order', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.tuple(fc.nat({ max: 20_000 }), fc.boolean()), { maxLength: 20 }), fc.integer({ min: 1, max: 9000 }), async (ops, cap) => {
      const sink = new MemSink(3000);
      let i = 0;
      const want: Buffer[] = [];
      await run(function* () {
        const w = new BufWriter(sink, { capacity: cap });
        for (const [n, doFlush] of ops) {
          const b = Buffer.alloc(n, 97 + (i++ % 26));
          want.push(b);
          yield* writeAll(w, b);
          if (doFlush) yield* flush(w);
          assert.ok(w.buffered() <= cap);
        }
        yield* flush(w);
      });
      assert.ok(Buffer.concat(sink.parts).equals(Buffer.concat(want)));
    }),
    { numRuns: 60 },
  );
});

/** A stream wrapper counting the chunks read and the writes made. */
class Counting implements AsyncRead, AsyncWrite {
  reads = 0;
  writes = 0;
  constructor(readonly s: TcpStream) {}
  pollRead(cx: Context, buf: Uint8Array): Poll<number> {
    return this.s.pollRead(cx, buf);
  }
  pollReadChunk(cx: Context): Poll<Buffer | null> {
    const c = this.s.pollReadChunk(cx);
    if (c !== null && typeof c !== 'symbol') this.reads++;
    return c;
  }
  pollWrite(cx: Context, buf: Uint8Array): Poll<number> {
    this.writes++;
    return this.s.pollWrite(cx, buf);
  }
  pollWriteOwned(cx: Context, buf: Uint8Array): Poll<number> {
    this.writes++;
    return this.s.pollWriteOwned(cx, buf);
  }
  pollFlush(cx: Context): Poll<void> {
    return this.s.pollFlush(cx);
  }
  pollShutdown(cx: Context): Poll<void> {
    return this.s.pollShutdown(cx);
  }
}

function* pipelinedServer(l: TcpListener) {
  const [s] = yield* l.accept();
  const io = new Counting(s);
  const framed = new Framed(io, new LinesCodec());
  for (let f = yield* framed.readFrame(); f !== null; f = yield* framed.readFrame()) {
    yield* framed.feed(f.toUpperCase());
    for (let g = framed.tryReadFrame(); g !== undefined; g = framed.tryReadFrame()) yield* framed.feed(g.toUpperCase());
    yield* framed.flush();
  }
  yield* s.shutdown();
  return [io.reads, io.writes] as [number, number];
}

test('a pipelined batch through Framed is answered with one write per batch read', async () => {
  const [lines, reads, writes] = await run(function* () {
    const l = yield* TcpListener.bind('127.0.0.1:0');
    const h = spawn(pipelinedServer, l);
    const c = yield* TcpStream.connect(l.localAddr());
    yield* c.writeAll(Buffer.from(Array.from({ length: 16 }, (_, i) => `ping ${i}\n`).join('')));
    yield* c.shutdown();
    const lines = yield* new BufReader(c).lines().collect();
    const [reads, writes] = yield* h;
    c.close();
    l.close();
    return [lines, reads, writes] as const;
  });
  assert.deepEqual(lines, Array.from({ length: 16 }, (_, i) => `PING ${i}`));
  assert.ok(reads >= 1);
  assert.equal(writes, reads, `one write per chunk read (${reads} chunks)`);
});
