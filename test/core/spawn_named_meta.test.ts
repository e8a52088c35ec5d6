/**
 * `spawnNamed` reads no file on the spawn path: the named task's metadata shares the body's
 * not-yet-mapped spawn location and maps it through the source map only when it is read (as
 * `metaFor` does for `spawn`). A spy on `fs.readFileSync` (synced into the ESM bindings) counts
 * the reads.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { Runtime, spawn, spawnNamed } from '../../src/index.js';

function* namedBody(i: number) {
  return i;
}

function* spawner() {
  yield* spawn(namedBody, 0);
  const reads: string[] = [];
  const real = fs.readFileSync;
  fs.readFileSync = ((...args: Parameters<typeof fs.readFileSync>) => {
    reads.push(String(args[0]));
    return real(...args);
  }) as typeof fs.readFileSync;
  syncBuiltinESMExports();
  let h;
  try {
    h = spawnNamed('renamed', namedBody, 1);
  } finally {
    fs.readFileSync = real;
    syncBuiltinESMExports();
  }
  assert.deepEqual(reads, [], 'spawnNamed read a file on the spawn path');
  return yield* h;
}

test('spawnNamed reads no file at spawn; its location is still the user line when read', async () => {
  const rt = new Runtime();
  try {
    assert.equal(await rt.blockOn(spawner), 1);
    const h = rt.spawnNamed('renamed-again', namedBody, 2);
    const info = rt.tasks().find((t) => t.id === h.id);
    assert.ok(info !== undefined);
    assert.match(info.location, /spawn_named_meta\.test\.ts:\d+:\d+$/, `location: ${info.location}`);
    await h;
  } finally {
    await rt.shutdown();
  }
});

test('named spawns of one body under one name in a row share one meta; another name gets its own', async () => {
  const rt = new Runtime();
  try {
    const metas = await rt.blockOn(function* () {
      const a = spawnNamed('GET /', namedBody, 1) as unknown as { meta: object; name: string };
      const b = spawnNamed('GET /', namedBody, 2) as unknown as { meta: object; name: string };
      const c = spawnNamed('POST /', namedBody, 3) as unknown as { meta: object; name: string };
      return { same: a.meta === b.meta, other: a.meta !== c.meta, names: [a.name, b.name, c.name] };
    });
    assert.deepEqual(metas, { same: true, other: true, names: ['GET /', 'GET /', 'POST /'] });
  } finally {
    await rt.shutdown();
  }
});
