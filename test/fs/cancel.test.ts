import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nfs from 'node:fs';
import { join } from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import { Pending, contextFromWaker, noopWaker, run, spawn, yieldNow, type Future } from '../../src/index.js';
import { File, read, readToString, write, copy } from '../../src/fs/index.js';
import { openFds, tempDir } from './tmp.js';

const dir = tempDir('cancel');
const cx = contextFromWaker(noopWaker());
const big = join(dir, 'big.bin');
nfs.writeFileSync(big, Buffer.alloc(1 << 20, 1));

/**
 * Waits until at most `base` descriptors are open (a count taken before may include closes still
 * in flight on the thread pool, so "at most", not "exactly").
 */
async function fdsBackTo(base: number): Promise<number> {
  let n = openFds();
  // Closes run on the thread pool: wait for them (bounded; generous for a loaded machine).
  for (let i = 0; i < 1000 && n > base; i++) {
    await (i < 50 ? tick() : new Promise((r) => setTimeout(r, 5)));
    n = openFds();
  }
  return n;
}

test('a whole-file helper dropped at any step releases its descriptor', async () => {
  const base = openFds();
  const makers: [string, () => Future<unknown>][] = [
    ['read', () => read(big)],
    ['readToString', () => readToString(big)],
    ['write', () => write(join(dir, 'w.bin'), Buffer.alloc(1 << 20))],
    ['copy', () => copy(big, join(dir, 'c.bin'))],
    ['File.open', () => File.open(big)],
  ];
  for (const [name, make] of makers) {
    for (let turns = 0; turns < 12; turns++) {
      const f = make();
      assert.equal(f.poll(cx), Pending, `${name} does not finish synchronously`);
      for (let i = 0; i < turns; i++) await tick();
      f.drop();
      const n = await fdsBackTo(base);
      assert.ok(n <= base, `${name} dropped after ${turns} turns leaked a descriptor (${n} open, ${base} before)`);
    }
  }
});

test('an aborted task reading a file leaves no descriptor open', async () => {
  const base = openFds();
  await run(function* () {
    for (let i = 0; i < 10; i++) {
      const h = spawn(function* () {
        return yield* read(big);
      });
      for (let k = 0; k < i; k++) yield* yieldNow();
      h.abort();
      try {
        yield* h;
      } catch {
        // cancelled (or finished first): either way no descriptor may stay open
      }
    }
  });
  const n = await fdsBackTo(base);
  assert.ok(n <= base, `${n} descriptors open, ${base} before`);
});

test('a dropped File.read loses no bytes and does not move the cursor', async () => {
  const p = join(dir, 'seq.txt');
  nfs.writeFileSync(p, 'abcdefghij');
  await run(function* () {
    const f = yield* File.open(p);
    const dropped = f.read(Buffer.alloc(4));
    assert.equal(dropped.poll(cx), Pending); // the request is in flight
    dropped.drop();
    const b = Buffer.alloc(4);
    assert.equal(yield* f.read(b), 4);
    assert.equal(b.toString(), 'abcd');
    assert.equal(yield* f.seek({ current: 0 }), 4);
    yield* f.close();
  });
});

test('a dropped writeAll leaves exactly the accepted prefix, which is written; the cursor counts it', async () => {
  const p = join(dir, 'prefix.bin');
  const data = Buffer.alloc(1 << 20, 2);
  await run(function* () {
    const f = yield* File.create(p);
    const w = f.writeAll(data);
    const r = w.poll(cx); // accepts one write-behind buffer, then waits for the request
    assert.equal(r, Pending);
    w.drop();
    const pos = yield* f.seek({ current: 0 });
    assert.ok(pos > 0 && pos < data.length, `accepted a prefix (${pos})`);
    yield* f.close();
    assert.equal(nfs.statSync(p).size, pos);
  });
});
