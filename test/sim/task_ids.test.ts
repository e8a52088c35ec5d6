// Task ids inside a run come from the run's own source: the same seed gives the same
// `JoinHandle.id`s in every run of one process, while ordinary runtimes used between and during
// runs keep taking ids from the process sequence (unique, only growing), also after a run that
// failed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sim, SimError } from '../../src/sim/index.js';
import { JoinSet, Runtime, sleep, spawn, yieldNow, type Gen } from '../../src/index.js';
import { ambient } from '../../src/sim/options.js';

function* leaf(n: number): Gen<number> {
  if (Math.random() < 0.5) yield* yieldNow();
  yield* sleep(n);
  return n;
}

/** Spawns a few tasks (some through a JoinSet), records their ids, awaits them. */
function* worker(out: number[], fail: boolean): Gen<void> {
  const set = new JoinSet<number>();
  for (let i = 0; i < 4; i++) out.push(set.spawn(leaf, i).id);
  const h = spawn(leaf, 3);
  out.push(h.id);
  yield* h;
  while ((yield* set.joinNext()) !== undefined) {
    // drain
  }
  if (fail) throw new Error('planned failure');
}

async function simIds(seed: number, fail = false): Promise<{ ids: number[]; hash: string | null }> {
  const a: number[] = [];
  const b: number[] = [];
  const run = new Sim({ seed }).host('a', worker, a, false).client('b', worker, b, fail).run();
  const r = await run.then(
    (x) => x.traceHash,
    (e: unknown) => {
      if (!(e instanceof SimError) || e.kind !== 'client-failed') throw e;
      return null;
    },
  );
  return { ids: [...a, -1, ...b], hash: r };
}

/** Ordinary runtime use: spawns tasks on a plain runtime and returns their ids. */
async function outside(rt: Runtime, n: number): Promise<number[]> {
  return rt.blockOn(function* plain(): Gen<number[]> {
    const ids: number[] = [];
    for (let i = 0; i < n; i++) {
      const h = spawn(function* tick(): Gen<void> {
        yield* yieldNow();
      });
      ids.push(h.id);
      yield* yieldNow();
      yield* h;
    }
    return ids;
  });
}

test('the same seed gives the same task ids across runs, with ordinary runtime use between and during runs', async () => {
  const rt = new Runtime();
  try {
    const outsideIds: number[] = [];
    outsideIds.push(...(await outside(rt, 5)));
    const first = await simIds(11);
    for (let i = 0; i < 4; i++) {
      outsideIds.push(...(await outside(rt, 3)));
      // A plain runtime polling its tasks while the simulation runs.
      const [again, during] = await Promise.all([simIds(11), outside(rt, 20)]);
      outsideIds.push(...during);
      assert.deepEqual(again, first);
    }
    const all = first.ids.filter((x) => x !== -1);
    assert.equal(new Set(all).size, all.length, `ids are unique within the run across hosts: ${all.join(',')}`);
    assert.ok(all.every((x) => x < 100), `the run numbers its own tasks from 1: ${all.join(',')}`);
    for (let i = 1; i < outsideIds.length; i++) {
      assert.ok(outsideIds[i]! > outsideIds[i - 1]!, `process ids keep growing: ${outsideIds.join(',')}`);
    }
    const other = await simIds(12);
    assert.notEqual(other.hash, first.hash);
  } finally {
    await rt.shutdown();
  }
});

test('a run that fails puts the process id source back', async () => {
  const rt = new Runtime();
  try {
    const before = await outside(rt, 2);
    const failed = await simIds(5, true);
    assert.equal(failed.hash, null, 'the client failed the run');
    const after = await outside(rt, 2);
    assert.ok(after[0]! > before[1]!, `process ids continue after a failed run: ${before} then ${after}`);
    assert.deepEqual((await simIds(5, true)).ids, failed.ids, 'and the failing run replays with the same ids');
  } finally {
    await rt.shutdown();
  }
});

test('the trace names tasks by their ids', async () => {
  const ids: number[] = [];
  const prev = ambient.record;
  ambient.record = true;
  ambient.recorded = [];
  try {
    await new Sim({ seed: 1 }).client('t', worker, ids, false).run();
  } finally {
    ambient.record = prev;
  }
  const spawned = ambient.recorded.flat().filter((e) => e.startsWith('spawn ')).map((e) => Number(e.split(' ')[2]));
  ambient.recorded = [];
  for (const id of ids) assert.ok(spawned.includes(id), `task ${id} appears in the trace (${spawned.join(',')})`);
});
