import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  run,
  spawn,
  pollFn,
  Pending,
  BufReader,
  Framed,
  FramedRead,
  LinesCodec,
  LengthDelimitedCodec,
  IoError,
  copy,
  copyBidirectional,
  TcpListener,
  TcpStream,
  type FutureRead,
  type Future,
} from '../../src/index.js';
import { DROPPED, pollOnceThenDrop } from './helpers.js';

/** An in-memory reader giving `chunks` one by one; every other poll is Pending (it wakes itself). */
/** The older future-returning reader shape, still accepted through `asAsyncRead`. */
class MemReader implements FutureRead {
  private i = 0;
  private flip = false;
  constructor(
    private readonly chunks: Buffer[],
    private readonly chunky: boolean,
  ) {}
  readChunk?: () => Future<Buffer | null>;
  static of(chunks: Buffer[], chunky = true): MemReader {
    const r = new MemReader(chunks, chunky);
    if (chunky) r.readChunk = () => r.next((c) => c);
    return r;
  }
  private next<T>(f: (c: Buffer | null) => T): Future<T> {
    return pollFn((cx) => {
      this.flip = !this.flip;
      if (this.flip) {
        cx.waker.wakeByRef();
        return Pending;
      }
      return f(this.i < this.chunks.length ? this.chunks[this.i++]! : null);
    });
  }
  read(buf: Uint8Array): Future<number> {
    return this.next((c) => {
      if (c === null) return 0;
      const n = Math.min(c.length, buf.length);
      buf.set(c.subarray(0, n));
      if (n < c.length) this.chunks.splice(this.i, 0, c.subarray(n));
      return n;
    });
  }
}

function splitAt(bytes: Buffer, cuts: number[]): Buffer[] {
  const pts = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const p of pts) {
    if (p > prev) out.push(bytes.subarray(prev, p));
    prev = Math.max(prev, p);
  }
  if (prev < bytes.length) out.push(bytes.subarray(prev));
  return out;
}

const lineArb = fc.array(fc.string({ unit: fc.constantFrom('a', 'b', 'é', ' ', '\r', 'z') }).map((s) => s.replace(/\r+$/, '')), { maxLength: 20 });

test('property: BufReader.readLine gives the lines of any text however it is chunked', async () => {
  await fc.assert(
    fc.asyncProperty(lineArb, fc.array(fc.nat(), { maxLength: 10 }), fc.boolean(), fc.boolean(), async (lines, cuts, chunky, crlf) => {
      const text = lines.map((l) => l + (crlf ? '\r\n' : '\n')).join('');
      const r = MemReader.of(splitAt(Buffer.from(text), cuts), chunky);
      const got = await run(function* () {
        const br = new BufReader(r, { capacity: 7 });
        const out: string[] = [];
        for (let l = yield* br.readLine(); l !== null; l = yield* br.readLine()) out.push(l);
        return out;
      });
      assert.deepEqual(got, lines);
    }),
    { numRuns: 150 },
  );
});

test('BufReader: readUntil includes the delimiter, gives the rest at EOF, enforces maxLength', async () => {
  await run(function* () {
    const br = new BufReader(MemReader.of([Buffer.from('ab\0c'), Buffer.from('d\0tail')]));
    assert.equal((yield* br.readUntil(0))?.toString(), 'ab\0');
    assert.equal((yield* br.readUntil(0))?.toString(), 'cd\0');
    assert.equal((yield* br.readUntil(0))?.toString(), 'tail');
    assert.equal(yield* br.readUntil(0), null);
    const long = new BufReader(MemReader.of([Buffer.alloc(40, 0x61), Buffer.alloc(40, 0x61)]), { maxLength: 50 });
    try {
      yield* long.readLine();
      assert.fail('expected FRAME_TOO_LONG');
    } catch (e) {
      assert.ok(e instanceof IoError);
      assert.equal(e.code, 'FRAME_TOO_LONG');
    }
  });
  assert.throws(() => new BufReader(MemReader.of([])).readUntil(300), RangeError);
});

test('BufReader.readLine is cancel-safe: dropped calls lose nothing', async () => {
  await run(function* () {
    const br = new BufReader(MemReader.of([Buffer.from('one\ntw'), Buffer.from('o\nthr'), Buffer.from('ee\n')]));
    const out: string[] = [];
    for (;;) {
      const r = yield* pollOnceThenDrop(br.readLine());
      if (r === DROPPED) continue;
      if (r === null) break;
      out.push(r);
    }
    assert.deepEqual(out, ['one', 'two', 'three']);
  });
});

test('property: LengthDelimitedCodec frames survive any chunking through FramedRead', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 15 }),
      fc.array(fc.nat(), { maxLength: 12 }),
      fc.constantFrom(1 as const, 2 as const, 4 as const),
      async (frames, cuts, h) => {
        const codec = new LengthDelimitedCodec({ lengthFieldLength: h, maxFrameLength: 300 });
        const wire = Buffer.concat(frames.map((f) => codec.encode(f)));
        const fr = new FramedRead(MemReader.of(splitAt(wire, cuts)), codec);
        const got = await run(function* () {
          const out: Buffer[] = [];
          for (let f = yield* fr.readFrame(); f !== null; f = yield* fr.readFrame()) out.push(Buffer.from(f));
          return out;
        });
        assert.deepEqual(got, frames.map((f) => Buffer.from(f)));
      },
    ),
    { numRuns: 150 },
  );
});

test('codecs reject oversized frames and truncated input with IoErrors', async () => {
  const codec = new LengthDelimitedCodec({ maxFrameLength: 10 });
  assert.throws(() => codec.encode(Buffer.alloc(11)), (e: unknown) => e instanceof IoError && e.code === 'FRAME_TOO_LONG');
  assert.throws(() => new LengthDelimitedCodec({ lengthFieldLength: 3 as 4 }), RangeError);
  assert.throws(() => new LinesCodec().encode('a\nb'), TypeError);
  await run(function* () {
    const big = Buffer.alloc(8);
    big.writeUInt32BE(1000, 0);
    try {
      yield* new FramedRead(MemReader.of([big]), codec).readFrame();
      assert.fail('expected FRAME_TOO_LONG');
    } catch (e) {
      assert.ok(e instanceof IoError && e.code === 'FRAME_TOO_LONG');
    }
    const cut = codec.encode(Buffer.from('hello')).subarray(0, 6);
    try {
      yield* new FramedRead(MemReader.of([cut]), codec).readFrame();
      assert.fail('expected INVALID_DATA');
    } catch (e) {
      assert.ok(e instanceof IoError && e.code === 'INVALID_DATA');
    }
    const lines = new FramedRead(MemReader.of([Buffer.from('x'.repeat(30))]), new LinesCodec({ maxLength: 20 }));
    try {
      yield* lines.readFrame();
      assert.fail('expected FRAME_TOO_LONG');
    } catch (e) {
      assert.ok(e instanceof IoError && e.code === 'FRAME_TOO_LONG');
    }
    const last = new FramedRead(MemReader.of([Buffer.from('a\nno newline')]), new LinesCodec());
    assert.equal(yield* last.readFrame(), 'a');
    assert.equal(yield* last.readFrame(), 'no newline');
    assert.equal(yield* last.readFrame(), null);
  });
});

function* upperLines(l: TcpListener) {
  const [s] = yield* l.accept();
  const framed = new Framed(s, new LinesCodec());
  for (let line = yield* framed.readFrame(); line !== null; line = yield* framed.readFrame()) {
    yield* framed.writeFrame(line.toUpperCase());
  }
  yield* s.shutdown();
  s.close();
}

test('Framed lines over TCP, and copy() from a reader to a stream', async () => {
  const out = await run(function* () {
    const l = yield* TcpListener.bind('127.0.0.1:0');
    const h = spawn(upperLines, l);
    const c = yield* TcpStream.connect(l.localAddr());
    const n = yield* copy(MemReader.of([Buffer.from('hello\nwor'), Buffer.from('ld\n')], false), c);
    assert.equal(n, 12);
    yield* c.shutdown();
    const br = new BufReader(c);
    const lines: string[] = [];
    for (let x = yield* br.readLine(); x !== null; x = yield* br.readLine()) lines.push(x);
    yield* h;
    c.close();
    l.close();
    return lines;
  });
  assert.deepEqual(out, ['HELLO', 'WORLD']);
});

function* bidiProxy(front: TcpListener, backAddr: string) {
  const [client] = yield* front.accept();
  const upstream = yield* TcpStream.connect(backAddr);
  const counts = yield* copyBidirectional(client, upstream);
  client.close();
  upstream.close();
  return counts;
}

function* reverser(l: TcpListener) {
  const [s] = yield* l.accept();
  const parts: Buffer[] = [];
  for (let c = yield* s.readChunk(); c !== null; c = yield* s.readChunk()) parts.push(c);
  yield* s.writeAll(Buffer.from(Buffer.concat(parts).toString().split('').reverse().join('')));
  yield* s.shutdown();
  s.close();
}

test('copyBidirectional forwards both ways and passes half-close through', async () => {
  const [reply, counts] = await run(function* () {
    const back = yield* TcpListener.bind('127.0.0.1:0');
    const front = yield* TcpListener.bind('127.0.0.1:0');
    spawn(reverser, back);
    const proxy = spawn(bidiProxy, front, back.localAddr().toString());
    const c = yield* TcpStream.connect(front.localAddr());
    yield* c.writeAll(Buffer.from('stressed'));
    yield* c.shutdown(); // the FIN travels through the proxy to the reverser
    const parts: Buffer[] = [];
    for (let x = yield* c.readChunk(); x !== null; x = yield* c.readChunk()) parts.push(x);
    const counts = yield* proxy;
    c.close();
    back.close();
    front.close();
    return [Buffer.concat(parts).toString(), counts] as const;
  });
  assert.equal(reply, 'desserts');
  assert.deepEqual(counts, [8, 8]);
});
