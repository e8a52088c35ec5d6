/**
 * A timeout around a slow task: wait for a spawned task at most `ms`; on timeout, abort it (its
 * `finally` runs) and go on. `select` drops the losing branch; the task is aborted explicitly
 * because dropping a JoinHandle only detaches it.
 *
 * Run: `npx tsc && node dist/examples/timeout_slow_task.js`
 */
import { pathToFileURL } from 'node:url';
import { Runtime, fromPromise, select, spawn, type Future, type Gen } from '../src/index.js';

function sleepMs(ms: number): Future<void> {
  return fromPromise(new Promise<void>((r) => setTimeout(r, ms)));
}

/** A task that takes `ms` to produce its answer. */
function* slowTask(ms: number, log: string[]): Gen<string> {
  try {
    yield* sleepMs(ms);
    return `answer after ${ms} ms`;
  } finally {
    log.push(`slowTask(${ms}) finished or was cancelled`);
  }
}

/** Runs slowTask(work) with a time limit. */
function* withTimeout(work: number, limit: number, log: string[]): Gen<string> {
  const h = spawn(slowTask, work, log);
  const r = yield* select({ done: h, timeout: sleepMs(limit) }, { biased: true });
  if (r.key === 'done') return r.value;
  h.abort();
  return `timed out after ${limit} ms`;
}

/** The test checks both outcomes. */
export async function main(): Promise<{ fast: string; slow: string; log: string[] }> {
  const log: string[] = [];
  const rt = new Runtime();
  try {
    const fast = await rt.blockOn(withTimeout, 5, 200, log);
    const slow = await rt.blockOn(withTimeout, 500, 20, log);
    await new Promise((r) => setImmediate(r));
    return { fast, slow, log };
  } finally {
    await rt.shutdown();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await main();
  console.log(r.fast);
  console.log(r.slow);
  for (const l of r.log) console.log(' ', l);
}
