import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nfs from 'node:fs';
import { join } from 'node:path';
import { run } from '../../src/index.js';
import { IoError } from '../../src/io/error.js';
import { File, OpenOptions, readToString } from '../../src/fs/index.js';
import { READ_AHEAD } from '../../src/fs/file_core.js';
import { tempDir } from './tmp.js';

const dir = tempDir('file');

async function ioErr(body: () => Generator<any, unknown, unknown>): Promise<IoError> {
  try {
    await run(body);
  } catch (e) {
    assert.ok(e instanceof IoError, `expected IoError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected an IoError');
}

test('File.create + writeAll + close, File.open + read to EOF', async () => {
  const p = join(dir, 'rw.bin');
  const data = Buffer.alloc(READ_AHEAD * 2 + 123);
  for (let i = 0; i < data.length; i++) data[i] = (i * 31) & 0xff;
  await run(function* () {
    const w = yield* File.create(p);
    // many small writes coalesce; then one large one
    for (let i = 0; i < 1000; i++) yield* w.writeAll(data.subarray(i * 10, i * 10 + 10));
    yield* w.writeAll(data.subarray(10_000));
    yield* w.close();
    assert.equal(w.closed, true);
    const r = yield* File.open(p);
    const out: Buffer[] = [];
    const buf = Buffer.alloc(1000);
    for (let n = yield* r.read(buf); n > 0; n = yield* r.read(buf)) out.push(Buffer.from(buf.subarray(0, n)));
    assert.deepEqual(Buffer.concat(out), data);
    assert.equal(yield* r.read(buf), 0, 'EOF again');
    yield* r.close();
  });
});

test('seek start/current/end, reads after seeks, writes at the cursor, setLen, metadata', async () => {
  const p = join(dir, 'seek.txt');
  nfs.writeFileSync(p, '0123456789');
  await run(function* () {
    const f = yield* new OpenOptions().read(true).write(true).open(p);
    const b = Buffer.alloc(3);
    assert.equal(yield* f.read(b), 3);
    assert.equal(b.toString(), '012');
    assert.equal(yield* f.seek({ current: 2 }), 5);
    assert.equal(yield* f.read(b), 3);
    assert.equal(b.toString(), '567');
    assert.equal(yield* f.seek({ end: -2 }), 8);
    assert.equal(yield* f.read(b), 2);
    assert.equal(b.subarray(0, 2).toString(), '89');
    assert.equal(yield* f.seek({ start: 2 }), 2);
    yield* f.writeAll(Buffer.from('ab'));
    // a read after a write sees it (the write is flushed first)
    assert.equal(yield* f.seek({ start: 0 }), 0);
    assert.equal(yield* f.read(b), 3);
    assert.equal(b.toString(), '01a');
    assert.equal((yield* f.metadata()).len, 10);
    yield* f.setLen(4);
    assert.equal((yield* f.metadata()).len, 4);
    yield* f.syncAll();
    yield* f.syncData();
    yield* f.close();
    assert.equal(yield* readToString(p), '01ab');
  });
  const e = await ioErr(function* () {
    const f = yield* File.open(p);
    yield* f.seek({ current: -10 });
  });
  assert.equal(e.code, 'EINVAL');
});

test('writing after a read discards read-ahead and writes at the logical cursor', async () => {
  const p = join(dir, 'mix.txt');
  nfs.writeFileSync(p, 'aaaaaaaaaa');
  await run(function* () {
    const f = yield* new OpenOptions().read(true).write(true).open(p);
    const b = Buffer.alloc(4);
    yield* f.read(b); // read-ahead pulled all 10 bytes, cursor at 4
    yield* f.writeAll(Buffer.from('XY'));
    yield* f.read(b);
    assert.equal(b.toString(), 'aaaa');
    yield* f.close();
  });
  assert.equal(nfs.readFileSync(p, 'utf8'), 'aaaaXYaaaa');
});

test('OpenOptions: append, createNew, truncate, mode and the invalid combinations', async () => {
  const p = join(dir, 'opts.log');
  await run(function* () {
    const a = yield* new OpenOptions().append(true).create(true).mode(0o640).open(p);
    yield* a.writeAll(Buffer.from('one\n'));
    yield* a.close();
    const b = yield* new OpenOptions().append(true).open(p);
    yield* b.writeAll(Buffer.from('two\n'));
    yield* b.close();
    assert.equal(yield* readToString(p), 'one\ntwo\n');
    assert.equal(nfs.statSync(p).mode & 0o777, 0o640 & ~process.umask());
    const t = yield* new OpenOptions().write(true).truncate(true).open(p);
    yield* t.close();
    assert.equal(yield* readToString(p), '');
    const n = yield* File.createNew(join(dir, 'fresh'));
    yield* n.close();
  });
  const e = await ioErr(function* () {
    yield* File.createNew(join(dir, 'fresh'));
  });
  assert.equal(e.code, 'EEXIST');
  for (const o of [new OpenOptions(), new OpenOptions().read(true).create(true), new OpenOptions().append(true).truncate(true)]) {
    const err = await ioErr(function* () {
      yield* o.open(join(dir, 'x'));
    });
    assert.equal(err.code, 'EINVAL');
  }
  const e2 = await ioErr(function* () {
    yield* File.open(join(dir, 'missing'));
  });
  assert.equal(e2.code, 'ENOENT');
  assert.equal(e2.syscall, 'open');
});

test('operations on a closed file fail with CLOSED; writing to a read-only file fails with EBADF', async () => {
  const p = join(dir, 'closed.txt');
  nfs.writeFileSync(p, 'x');
  const e = await ioErr(function* () {
    const f = yield* File.open(p);
    yield* f.close();
    yield* f.read(Buffer.alloc(1));
  });
  assert.equal(e.code, 'CLOSED');
  const e2 = await ioErr(function* () {
    const f = yield* File.open(p);
    yield* f.writeAll(Buffer.from('y')); // accepted into the buffer...
    yield* f.flush(); // ...and the failed background write is reported here
  });
  assert.equal(e2.code, 'EBADF');
});

test('using closes the file after its buffered writes; await using reports through a promise', async () => {
  const p = join(dir, 'using.txt');
  await run(function* () {
    using f = yield* File.create(p);
    yield* f.writeAll(Buffer.from('kept'));
  });
  // disposal closes after the write: give the pool a moment without timing assertions
  for (let i = 0; i < 100 && nfs.readFileSync(p, 'utf8') !== 'kept'; i++) await new Promise((r) => setTimeout(r, 5));
  assert.equal(nfs.readFileSync(p, 'utf8'), 'kept');
  const f = await run(function* () {
    const f = yield* File.create(p);
    yield* f.writeAll(Buffer.from('async'));
    return f;
  });
  await f[Symbol.asyncDispose]();
  assert.equal(nfs.readFileSync(p, 'utf8'), 'async');
  assert.equal(f.closed, true);
});

test('a FIFO is read without positions (ESPIPE fallback) and cannot seek', async () => {
  const p = join(dir, 'fifo');
  const { execFileSync, spawn } = await import('node:child_process');
  execFileSync('mkfifo', [p]);
  const writer = spawn('sh', ['-c', `printf 'through the pipe' > ${p}`]);
  const exited = new Promise((r) => writer.on('exit', r));
  const got = await run(function* () {
    const f = yield* File.open(p);
    const b = Buffer.alloc(64);
    let s = '';
    for (let n = yield* f.read(b); n > 0; n = yield* f.read(b)) s += b.subarray(0, n).toString();
    try {
      yield* f.seek({ start: 0 });
      assert.fail('seek on a FIFO');
    } catch (e) {
      assert.equal((e as IoError).code, 'ESPIPE');
    }
    yield* f.close();
    return s;
  });
  await exited;
  assert.equal(got, 'through the pipe');
});
