// A spawned task's arguments and body live as long as the task (or its handle), not longer:
// the shared one-argument array of spawn (src/runtime/spawn.ts) and the scratch object of
// prepareBody (src/runtime/spawn_body.ts) used to keep the last spawn's argument and generator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { fromPromise, run, spawn, spawnNamed, type Gen } from '../../src/index.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

class Payload {
  readonly bytes = new Uint8Array(1024);
}

function* useIt(p: Payload): Gen<number> {
  return p.bytes.length;
}

/** Spawns `useIt` on a fresh payload, awaits it, and returns a weak reference to the payload. */
function* spawnOne(named: boolean): Gen<WeakRef<Payload>> {
  const p = new Payload();
  const ref = new WeakRef(p);
  const h = named ? spawnNamed('use', useIt, p) : spawn(useIt, p);
  assert.equal(yield* h, 1024);
  return ref;
}

for (const named of [false, true]) {
  test(`after ${named ? 'spawnNamed' : 'spawn'} with one argument has finished, nothing keeps the argument`, async () => {
    await run(function* () {
      const ref = yield* spawnOne(named);
      // A later event-loop turn: the WeakRef no longer pins its target. (Not a sleep: a sleep
      // whose tick has started may complete in the same turn, when the executor goes idle.)
      yield* fromPromise(new Promise<void>((r) => setImmediate(r)));
      gc();
      assert.equal(ref.deref(), undefined);
    });
  });
}
