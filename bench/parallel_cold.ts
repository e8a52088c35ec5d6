// One cold start, in a fresh process: `node dist/bench/parallel_cold.js <system>` prints the ms
// from creating the pool (modules already imported) to the first result of one tiny task.
import { Piscina } from 'piscina';
import { Tinypool } from 'tinypool';
import workerpool from 'workerpool';
import { Runtime } from '../src/index.js';
import { tiny } from './parallel_tasks.js';

const POOL_WORKER = new URL('./parallel_pool_worker.js', import.meta.url);
const WP_WORKER = new URL('./parallel_workerpool_worker.js', import.meta.url);
const system = process.argv[2];
const t0 = performance.now();
let close: () => Promise<unknown>;
if (system === 'kyoto') {
  const rt = new Runtime({ flavor: 'multi_thread', workers: 2 });
  await tiny.spawn(1);
  close = () => rt.shutdown();
} else if (system === 'piscina') {
  const p = new Piscina({ filename: POOL_WORKER.href, minThreads: 2, maxThreads: 2 });
  await p.run({ op: 'tiny', n: 1 });
  close = () => p.destroy();
} else if (system === 'tinypool') {
  const p = new Tinypool({ filename: POOL_WORKER.href, minThreads: 2, maxThreads: 2 });
  await p.run({ op: 'tiny', n: 1 });
  close = () => p.destroy();
} else {
  const p = workerpool.pool(WP_WORKER.pathname, { minWorkers: 2, maxWorkers: 2, workerType: 'thread' });
  await p.exec('tiny', [1]);
  close = async () => {
    await p.terminate();
  };
}
const ms = performance.now() - t0;
await close();
process.stdout.write(`${ms}\n`);
