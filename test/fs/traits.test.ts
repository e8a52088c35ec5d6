/**
 * The point of kyoto/fs, kyoto/process and stdio implementing AsyncRead/AsyncWrite: the generic
 * io layer (BufReader.lines(), copy, readToEnd, writeAll, Framed + codecs) works on files, child
 * pipes and stdio unchanged.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nfs from 'node:fs';
import { join } from 'node:path';
import {
  BufReader,
  FramedRead,
  FramedWrite,
  LengthDelimitedCodec,
  LinesCodec,
  copy,
  readToEnd,
  run,
  spawn,
  writeAll,
  shutdown,
  type AsyncRead,
  type AsyncWrite,
} from '../../src/index.js';
import { File } from '../../src/fs/index.js';
import { Command } from '../../src/process/index.js';
import { tempDir } from './tmp.js';

const dir = tempDir('traits');

test('BufReader.lines() over a File yields every line', async () => {
  const p = join(dir, 'lines.txt');
  const lines = Array.from({ length: 30_000 }, (_, i) => `line ${i} ${'x'.repeat(i % 50)}`);
  nfs.writeFileSync(p, lines.join('\n') + '\n');
  const got = await run(function* () {
    const f: AsyncRead = yield* File.open(p);
    return yield* new BufReader(f).lines().collect();
  });
  assert.deepEqual(got, lines);
});

test('copy(File, File) moves every byte; readToEnd(File) reads it back', async () => {
  const a = join(dir, 'src.bin'), b = join(dir, 'dst.bin');
  const data = Buffer.alloc(3 * 1024 * 1024 + 17);
  for (let i = 0; i < data.length; i += 4096) data[i] = i & 0xff;
  nfs.writeFileSync(a, data);
  await run(function* () {
    const r = yield* File.open(a);
    const w: AsyncWrite = yield* File.create(b);
    assert.equal(yield* copy(r, w), data.length);
    yield* (w as File).close();
    yield* r.close();
    const back = yield* File.open(b);
    assert.deepEqual(yield* readToEnd(back), data);
    yield* back.close();
  });
});

test('copy from a File into a child stdin and from its stdout into a File', async () => {
  const a = join(dir, 'in.txt'), b = join(dir, 'out.txt');
  nfs.writeFileSync(a, 'hello through tr\n'.repeat(10_000));
  await run(function* () {
    const child = new Command('tr').args(['a-z', 'A-Z']).stdin('piped').stdout('piped').spawn();
    const src = yield* File.open(a);
    const dst = yield* File.create(b);
    const feed = spawn(function* () {
      const n = yield* copy(src, child.stdin!);
      yield* shutdown(child.stdin!); // EOF for tr
      return n;
    });
    const n = yield* copy(child.stdout!, dst);
    yield* dst.close();
    assert.equal(yield* feed, n);
    assert.equal((yield* child.wait()).success, true);
  });
  assert.equal(nfs.readFileSync(b, 'utf8'), 'HELLO THROUGH TR\n'.repeat(10_000));
});

test('Framed codecs over child pipes: LinesCodec to cat and back, LengthDelimitedCodec round trip', async () => {
  await run(function* () {
    const child = new Command('cat').stdin('piped').stdout('piped').spawn();
    const out = new FramedWrite(child.stdin!, new LinesCodec());
    const inp = new FramedRead(child.stdout!, new LinesCodec());
    for (let i = 0; i < 100; i++) yield* out.writeFrame(`frame ${i}`);
    yield* shutdown(child.stdin!);
    const got: string[] = [];
    for (let l = yield* inp.readFrame(); l !== null; l = yield* inp.readFrame()) got.push(l);
    assert.equal(got.length, 100);
    assert.equal(got[99], 'frame 99');
    yield* child.wait();

    const c2 = new Command('cat').stdin('piped').stdout('piped').spawn();
    const w2 = new FramedWrite(c2.stdin!, new LengthDelimitedCodec());
    const r2 = new FramedRead(c2.stdout!, new LengthDelimitedCodec());
    const payloads = [Buffer.alloc(0), Buffer.from('abc'), Buffer.alloc(200_000, 9)];
    const writer = spawn(function* () {
      for (const p of payloads) yield* w2.writeFrame(p);
      yield* shutdown(c2.stdin!);
    });
    for (const p of payloads) assert.deepEqual(Buffer.from((yield* r2.readFrame())!), p);
    assert.equal(yield* r2.readFrame(), null);
    yield* writer;
    yield* c2.wait();
  });
});

test('Framed over a File: frames written, then read back', async () => {
  const p = join(dir, 'frames.bin');
  await run(function* () {
    const w = yield* File.create(p);
    const fw = new FramedWrite(w, new LinesCodec());
    for (let i = 0; i < 1000; i++) yield* fw.writeFrame(`record ${i}`);
    yield* writeAll(w, Buffer.from('last\n'));
    yield* w.close();
    const fr = new FramedRead(yield* File.open(p), new LinesCodec());
    let n = 0;
    let last = '';
    for (let l = yield* fr.readFrame(); l !== null; l = yield* fr.readFrame()) {
      n++;
      last = l;
    }
    assert.equal(n, 1001);
    assert.equal(last, 'last');
  });
});
