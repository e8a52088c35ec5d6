// One id source: local task handles and worker-pool handles never share an id on one thread.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Runtime, spawn, type Gen } from '../../src/index.js';
import { add } from '../parallel/tasks.js';

test('JoinHandle ids are unique across local tasks and parallel (RemoteHandle) tasks', async () => {
  const rt = new Runtime({ flavor: 'multi_thread', workers: 1 });
  try {
    const ids = await rt.blockOn(function* main(): Gen<number[]> {
      const out: number[] = [];
      for (let i = 0; i < 20; i++) {
        const local = spawn(function* leaf(): Gen<number> { return i; });
        const remote = add.spawn(i, 1);
        out.push(local.id, remote.id);
        yield* local;
        yield* remote;
      }
      return out;
    });
    assert.equal(new Set(ids).size, ids.length, `duplicate ids in ${ids.join(',')}`);
  } finally {
    await rt.shutdown();
  }
});
