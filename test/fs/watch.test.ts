import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nfs from 'node:fs';
import { join } from 'node:path';
import { run } from '../../src/index.js';
import { IoError } from '../../src/io/error.js';
import { watch } from '../../src/fs/index.js';
import { tempDir } from './tmp.js';

const dir = tempDir('watch');

test('watch reports a file created in the directory; drop closes it and the stream ends', async () => {
  await run(function* () {
    const w = watch(dir);
    nfs.writeFileSync(join(dir, 'new.txt'), 'x');
    let ev = yield* w.next();
    while (ev !== undefined && ev.filename !== 'new.txt') ev = yield* w.next();
    assert.ok(ev !== undefined);
    assert.equal(ev.path, join(dir, 'new.txt'));
    assert.ok(ev.kind === 'rename' || ev.kind === 'change');
    w.drop();
    assert.equal(yield* w.next(), undefined);
  });
});

test('recursive watch sees a change in a subdirectory', async () => {
  const sub = join(dir, 'sub');
  nfs.mkdirSync(sub);
  await run(function* () {
    using w = watch(dir, { recursive: true });
    nfs.writeFileSync(join(sub, 'deep.txt'), 'x');
    let ev = yield* w.next();
    while (ev !== undefined && ev.filename !== join('sub', 'deep.txt')) ev = yield* w.next();
    assert.ok(ev !== undefined);
  });
});

test('watch on a missing path fails with ENOENT at the first poll', async () => {
  await assert.rejects(
    run(function* () {
      yield* watch(join(dir, 'missing')).next();
    }),
    (e: unknown) => e instanceof IoError && e.code === 'ENOENT',
  );
});
