// Spawns one task and prints its spawn location and the await chain of the dump (run by
// test/edge/location.test.ts with and without --enable-source-maps).
import { Runtime, pending, setAwaitTracing, type Gen } from '../../src/index.js';

function* waitsForever(): Gen<void> {
  yield* pending<void>(); // AWAIT-LINE
}

const rt = new Runtime();
setAwaitTracing(true);
rt.spawn(waitsForever); // SPAWN-LINE
await new Promise((r) => setTimeout(r, 5));
console.log(JSON.stringify({ location: rt.tasks()[0]?.location ?? '', dump: rt.dump() }));
setAwaitTracing(false);
process.exit(0);
