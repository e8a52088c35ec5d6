import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nfs from 'node:fs';
import { join } from 'node:path';
import { run } from '../../src/index.js';
import { IoError } from '../../src/io/error.js';
import * as kfs from '../../src/fs/index.js';
import { tempDir } from './tmp.js';

const dir = tempDir('helpers');


/** Runs `body` in a task and returns the IoError it throws. */
async function ioErr(body: () => Generator<any, unknown, unknown>): Promise<IoError> {
  try {
    await run(body);
  } catch (e) {
    assert.ok(e instanceof IoError, `expected IoError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected an IoError');
}

test('write, read, readToString round-trip bytes and text', async () => {
  const p = join(dir, 'a.txt');
  await run(function* () {
    yield* kfs.write(p, 'héllo\n');
    assert.equal(yield* kfs.readToString(p), 'héllo\n');
    const b = yield* kfs.read(p);
    assert.ok(Buffer.isBuffer(b));
    assert.deepEqual(b, Buffer.from('héllo\n'));
    yield* kfs.write(p, Buffer.alloc(0));
    assert.equal(yield* kfs.readToString(p), '');
    const big = Buffer.alloc(300_000, 7);
    yield* kfs.write(p, big);
    assert.deepEqual(yield* kfs.read(p), big);
  });
});

test('read of a file that reports size 0 (procfs) reads to EOF', async () => {
  await run(function* () {
    const s = yield* kfs.readToString('/proc/self/status');
    assert.match(s, /^Name:/);
  });
});

test('readToString rejects invalid UTF-8 with INVALID_DATA; read of a missing file is ENOENT with path and syscall', async () => {
  const p = join(dir, 'bad.bin');
  nfs.writeFileSync(p, Buffer.from([0xff, 0xfe, 0x41]));
  const e1 = await ioErr(function* () {
    yield* kfs.readToString(p);
  });
  assert.equal(e1.code, 'INVALID_DATA');
  assert.equal(e1.path, p);
  const missing = join(dir, 'nope.txt');
  const e2 = await ioErr(function* () {
    yield* kfs.read(missing);
  });
  assert.equal(e2.code, 'ENOENT');
  assert.equal(e2.syscall, 'open');
  assert.equal(e2.path, missing);
  assert.match(e2.message, /read .*nope\.txt failed/);
  const e3 = await ioErr(function* () {
    yield* kfs.write(join(dir, 'no-such-dir', 'x'), 'x');
  });
  assert.equal(e3.code, 'ENOENT');
  const e4 = await ioErr(function* () {
    yield* kfs.read(dir);
  });
  assert.equal(e4.code, 'EISDIR');
});

test('copy returns the byte count; rename moves; removeFile removes', async () => {
  const a = join(dir, 'c1'), b = join(dir, 'c2'), c = join(dir, 'c3');
  nfs.writeFileSync(a, 'abcdef');
  await run(function* () {
    assert.equal(yield* kfs.copy(a, b), 6);
    assert.equal(nfs.readFileSync(b, 'utf8'), 'abcdef');
    yield* kfs.rename(b, c);
    assert.equal(yield* kfs.tryExists(b), false);
    assert.equal(yield* kfs.tryExists(c), true);
    yield* kfs.removeFile(c);
    assert.equal(yield* kfs.tryExists(c), false);
  });
  const e = await ioErr(function* () {
    yield* kfs.copy(join(dir, 'missing'), b);
  });
  assert.equal(e.code, 'ENOENT');
  const e2 = await ioErr(function* () {
    yield* kfs.rename(join(dir, 'missing'), b);
  });
  assert.equal(e2.code, 'ENOENT');
  assert.equal(e2.syscall, 'rename');
  const e3 = await ioErr(function* () {
    yield* kfs.removeFile(join(dir, 'missing'));
  });
  assert.equal(e3.code, 'ENOENT');
});

test('createDir, createDirAll, removeDir, removeDirAll and their errors', async () => {
  const d = join(dir, 'd1'), deep = join(dir, 'd2', 'x', 'y');
  await run(function* () {
    yield* kfs.createDir(d);
    assert.ok((yield* kfs.metadata(d)).isDir());
    yield* kfs.createDirAll(deep);
    yield* kfs.createDirAll(deep); // existing: fine
    yield* kfs.write(join(deep, 'f'), 'x');
    yield* kfs.removeDir(d);
    yield* kfs.removeDirAll(join(dir, 'd2'));
    assert.equal(yield* kfs.tryExists(join(dir, 'd2')), false);
  });
  const e1 = await ioErr(function* () {
    yield* kfs.createDir(join(dir, 'nope', 'x'));
  });
  assert.equal(e1.code, 'ENOENT');
  nfs.mkdirSync(join(dir, 'full'));
  nfs.writeFileSync(join(dir, 'full', 'f'), '');
  const e2 = await ioErr(function* () {
    yield* kfs.createDir(join(dir, 'full'));
  });
  assert.equal(e2.code, 'EEXIST');
  const e3 = await ioErr(function* () {
    yield* kfs.removeDir(join(dir, 'full'));
  });
  assert.equal(e3.code, 'ENOTEMPTY');
  const e4 = await ioErr(function* () {
    yield* kfs.removeDirAll(join(dir, 'nothing-here'));
  });
  assert.equal(e4.code, 'ENOENT');
});

test('metadata, symlinkMetadata, readLink, canonicalize, hardLink, symlink, setPermissions', async () => {
  const f = join(dir, 'm.txt'), link = join(dir, 'm.link'), hard = join(dir, 'm.hard');
  nfs.writeFileSync(f, '12345');
  await run(function* () {
    const m = yield* kfs.metadata(f);
    assert.equal(m.len, 5);
    assert.ok(m.isFile() && !m.isDir() && !m.isSymlink());
    assert.ok(m.modified instanceof Date);
    yield* kfs.symlink(f, link);
    assert.ok((yield* kfs.symlinkMetadata(link)).isSymlink());
    assert.ok((yield* kfs.metadata(link)).isFile());
    assert.equal(yield* kfs.readLink(link), f);
    assert.equal(yield* kfs.canonicalize(link), nfs.realpathSync(f));
    yield* kfs.hardLink(f, hard);
    assert.equal((yield* kfs.metadata(hard)).stats.ino, m.stats.ino);
    yield* kfs.setPermissions(f, 0o600);
    const m2 = yield* kfs.metadata(f);
    assert.equal(m2.permissions, 0o600);
    assert.equal(m2.readonly, false);
    yield* kfs.setPermissions(f, 0o400);
    assert.equal((yield* kfs.metadata(f)).readonly, true);
    assert.equal((yield* kfs.metadata(f)).fileType().isFile(), true);
  });
  for (const [name, body] of [
    ['metadata', () => kfs.metadata(join(dir, 'zz'))],
    ['symlinkMetadata', () => kfs.symlinkMetadata(join(dir, 'zz'))],
    ['readLink', () => kfs.readLink(f)],
    ['canonicalize', () => kfs.canonicalize(join(dir, 'zz'))],
    ['hardLink', () => kfs.hardLink(join(dir, 'zz'), join(dir, 'zz2'))],
    ['symlink', () => kfs.symlink(f, link)],
    ['setPermissions', () => kfs.setPermissions(join(dir, 'zz'), 0o600)],
  ] as const) {
    const e = await ioErr(function* () {
      yield* body();
    });
    const want = name === 'readLink' ? 'EINVAL' : name === 'symlink' ? 'EEXIST' : 'ENOENT';
    assert.equal(e.code, want, name);
    assert.ok(typeof e.path === 'string', name);
    assert.ok(typeof e.syscall === 'string', name);
  }
});

test('tryExists: false only for ENOENT; other failures are errors', async () => {
  const locked = join(dir, 'locked');
  nfs.mkdirSync(locked);
  nfs.writeFileSync(join(locked, 'f'), '');
  await run(function* () {
    assert.equal(yield* kfs.tryExists(dir), true);
    assert.equal(yield* kfs.tryExists(join(dir, 'absent')), false);
  });
  // A path through a regular file is ENOTDIR: "cannot tell", reported, not "absent".
  const e = await ioErr(function* () {
    yield* kfs.tryExists(join(locked, 'f', 'x'));
  });
  assert.equal(e.code, 'ENOTDIR');
});

test('paths may be file: URLs', async () => {
  const p = join(dir, 'url.txt');
  await run(function* () {
    yield* kfs.write(new URL(`file://${p}`), 'u');
    assert.equal(yield* kfs.readToString(new URL(`file://${p}`)), 'u');
  });
});
