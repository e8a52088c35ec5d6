/**
 * `npm start`: the runtime doing real work, with its metrics printed at the end.
 *
 * A pipeline of tasks: producers compute checksums over generated data in small steps, yielding
 * between steps; a collector joins them. Hoisted generator functions with arguments are the
 * recommended (cheapest) way to spawn.
 */
import { Runtime, spawn, yieldNow, type JoinHandle } from '../src/index.js';

function* checksum(id: number, blocks: number) {
  let h = id;
  for (let b = 0; b < blocks; b++) {
    for (let i = 0; i < 2_000; i++) h = (Math.imul(h, 31) + i + b) | 0;
    yield* yieldNow(); // let the other tasks run between blocks
  }
  return h >>> 0;
}

function* main(workers: number) {
  const handles: JoinHandle<number>[] = [];
  for (let i = 0; i < workers; i++) handles.push(spawn(checksum, i, 50));
  let combined = 0;
  for (const h of handles) combined ^= yield* h;
  return combined;
}

const rt = new Runtime({ timing: true });
const t0 = performance.now();
const result = await rt.blockOn(main, 2_000);
const ms = performance.now() - t0;
const m = rt.metrics();
console.log(`kyoto demo: 2,000 tasks x 50 blocks, combined checksum ${result.toString(16)} in ${ms.toFixed(1)} ms`);
console.log('runtime metrics:');
for (const k of ['spawnedTasksCount', 'workerPollCount', 'workerParkCount', 'remoteScheduleCount', 'budgetForcedYieldCount', 'workerMeanPollTime', 'workerTotalBusyDuration'] as const) {
  console.log(`  ${k.padEnd(24)} ${typeof m[k] === 'number' ? +(m[k] as number).toFixed(4) : String(m[k])}`);
}
console.log(`  poll time p50/p99 (ms)  ${m.pollTimeHistogram.p50.toFixed(4)} / ${m.pollTimeHistogram.p99.toFixed(4)}`);
await rt.shutdown();
