import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nfs from 'node:fs';
import { join } from 'node:path';
import { run } from '../../src/index.js';
import { IoError } from '../../src/io/error.js';
import { readDir, DirEntry } from '../../src/fs/index.js';
import { DIR_BATCH } from '../../src/fs/dir.js';
import { openFds, tempDir } from './tmp.js';

const dir = tempDir('dir');

test('readDir yields every entry once, with name, path, kind and metadata', async () => {
  const d = join(dir, 'many');
  nfs.mkdirSync(d);
  const n = DIR_BATCH * 3 + 7; // several batches
  for (let i = 0; i < n; i++) nfs.writeFileSync(join(d, `f${i}`), String(i));
  nfs.mkdirSync(join(d, 'sub'));
  nfs.symlinkSync(join(d, 'f0'), join(d, 'link'));
  const entries = await run(function* () {
    return yield* readDir(d).collect();
  });
  assert.equal(entries.length, n + 2);
  const names = new Set(entries.map((e) => e.name));
  assert.equal(names.size, n + 2);
  assert.ok(!names.has('.') && !names.has('..'));
  const byName = new Map(entries.map((e) => [e.name, e] as const));
  const f5 = byName.get('f5')!;
  assert.ok(f5 instanceof DirEntry);
  assert.equal(f5.path, join(d, 'f5'));
  assert.ok(f5.isFile() && !f5.isDir() && !f5.isSymlink());
  assert.ok(byName.get('sub')!.isDir());
  assert.ok(byName.get('sub')!.fileType().isDir());
  assert.ok(byName.get('link')!.isSymlink());
  await run(function* () {
    assert.equal((yield* f5.metadata()).len, 1);
    assert.ok((yield* byName.get('link')!.metadata()).isSymlink(), 'metadata does not follow the link');
  });
});

test('readDir of a missing path or a file fails with IoError at the first poll', async () => {
  for (const [p, code] of [
    [join(dir, 'missing'), 'ENOENT'],
    [__filenameOf(), 'ENOTDIR'],
  ] as const) {
    try {
      await run(function* () {
        yield* readDir(p).next();
      });
      assert.fail('expected an error');
    } catch (e) {
      assert.ok(e instanceof IoError);
      assert.equal(e.code, code);
      assert.equal(e.path, p);
    }
  }
});

function __filenameOf(): string {
  const f = join(dir, 'plain-file');
  nfs.writeFileSync(f, '');
  return f;
}

test('a readDir stream dropped early closes its directory handle', async () => {
  const d = join(dir, 'drop');
  nfs.mkdirSync(d);
  for (let i = 0; i < DIR_BATCH * 2; i++) nfs.writeFileSync(join(d, `f${i}`), '');
  const base = openFds();
  await run(function* () {
    const s = readDir(d);
    assert.ok((yield* s.next()) !== undefined);
    s.drop();
  });
  let n = openFds();
  for (let i = 0; i < 1000 && n > base; i++) {
    await new Promise((r) => setTimeout(r, 5));
    n = openFds();
  }
  assert.ok(n <= base, `${n} descriptors open, ${base} before`);
});
