import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  run,
  spawn,
  pollFn,
  Pending,
  BufReader,
  IoError,
  TcpListener,
  TcpStream,
  read,
  readExact,
  readToEnd,
  write,
  writeAll,
  writeChunk,
  flush,
  shutdown,
  copy,
  type AsyncRead,
  type AsyncWrite,
  type AsyncBufRead,
  type Future,
} from '../../src/index.js';
import { MemSink, MemSource } from './mem_io.js';

const chunks = (...s: string[]): Buffer[] => s.map((x) => Buffer.from(x));

test('generic read / readExact / readToEnd work on any AsyncRead', async () => {
  await run(function* () {
    const buf = Buffer.alloc(3);
    const src = new MemSource(chunks('hello', ' world'));
    assert.equal(yield* read(src, buf), 3);
    assert.equal(buf.toString(), 'hel');
    const four = Buffer.alloc(4);
    yield* readExact(src, four);
    assert.equal(four.toString(), 'lo w');
    assert.equal((yield* readToEnd(src)).toString(), 'orld');
    assert.equal(yield* read(src, buf), 0);
    const e = yield* caught(readExact(new MemSource(chunks('ab')), Buffer.alloc(5)));
    assert.ok(e instanceof IoError && e.code === 'UNEXPECTED_EOF', String(e));
    assert.throws(() => readToEnd(src, { maxBytes: -1 }), RangeError);
    const tooMuch = yield* caught(readToEnd(new MemSource(chunks('0123456789')), { maxBytes: 4 }));
    assert.ok(tooMuch instanceof IoError && tooMuch.code === 'FRAME_TOO_LONG');
  });
});

/** The error `f` throws, or null. */
function* caught(f: Future<unknown>) {
  try {
    yield* f;
    return null;
  } catch (e) {
    return e;
  }
}

test('generic write / writeAll / writeChunk / flush / shutdown work on any AsyncWrite', async () => {
  await run(function* () {
    const sink = new MemSink(4);
    assert.equal(yield* write(sink, Buffer.from('abcdef')), 4);
    yield* writeAll(sink, Buffer.from('0123456789'));
    yield* writeChunk(sink, Buffer.from('xyz')); // no pollWriteOwned: falls back to pollWrite
    yield* flush(sink);
    yield* shutdown(sink);
    assert.equal(sink.text(), 'abcd0123456789xyz');
    assert.equal(sink.flushes, 1);
    assert.equal(sink.shut, true);
  });
});

test('copy moves every byte from a pollRead-only source to a partial-write sink', async () => {
  const text = 'x'.repeat(70_000) + 'end';
  const sink = new MemSink(1000);
  const n = await run(function* () {
    return yield* copy(new MemSource([Buffer.from(text)]), sink);
  });
  assert.equal(n, text.length);
  assert.equal(sink.text(), text);
});

test('BufReader is an AsyncBufRead over any AsyncRead: pollFillBuf keeps a partial message', async () => {
  const got = await run(function* () {
    const br: AsyncBufRead = new BufReader(new MemSource(chunks('PING\r\nPI', 'NG\r\n')), { capacity: 5 });
    const out: string[] = [];
    // A parser that takes every whole line buffered and waits for more without consuming a part.
    yield* pollFn((cx) => {
      for (;;) {
        const b = br.pollFillBuf(cx);
        if (b === Pending) return Pending;
        if (b.length === 0) return undefined;
        const i = Buffer.from(b.buffer, b.byteOffset, b.length).indexOf('\r\n');
        if (i < 0) {
          // Not a whole line: ask for more (BufReader.pollFill appends).
          const more = (br as BufReader).pollFill(cx);
          if (more === Pending) return Pending;
          if (!more) return undefined;
          continue;
        }
        out.push(Buffer.from(b.subarray(0, i)).toString());
        br.consume(i + 2);
      }
    });
    return out;
  });
  assert.deepEqual(got, ['PING', 'PING']);
});

test('BufReader.lines() is a kyoto Stream over any AsyncRead', async () => {
  const got = await run(function* () {
    return yield* new BufReader(new MemSource(chunks('a\nb', 'c\r\nd'))).lines().collect();
  });
  assert.deepEqual(got, ['a', 'bc', 'd']);
});

function* echoOnce(l: TcpListener) {
  const [s] = yield* l.accept();
  const [rd, wr] = s.split();
  const r: AsyncRead = rd;
  const w: AsyncWrite = wr;
  yield* copy(r, w); // split halves are AsyncRead / AsyncWrite
  yield* shutdown(w);
  s.close();
}

test('TcpStream and its split halves implement the traits', async () => {
  const reply = await run(function* () {
    const l = yield* TcpListener.bind('127.0.0.1:0');
    spawn(echoOnce, l);
    const c = yield* TcpStream.connect(l.localAddr());
    const r: AsyncRead = c;
    const w: AsyncWrite = c;
    yield* writeAll(w, Buffer.from('over the traits'));
    yield* shutdown(w);
    const out = yield* readToEnd(r);
    c.close();
    l.close();
    return out.toString();
  });
  assert.equal(reply, 'over the traits');
});
