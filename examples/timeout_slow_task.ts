/**
 * A timeout around a slow task.
 *
 * 1. `timeout(ms, slowTask(...))` runs the work inside the current task; on expiry the work is
 *    dropped (its `finally` runs) and `Elapsed` is thrown.
 * 2. Around a spawned task: `timeout(ms, handle)`. Dropping a JoinHandle only detaches the task,
 *    so on `Elapsed` abort it explicitly (and await it if its cleanup must finish first).
 *
 * Run: `npx tsc && node dist/examples/timeout_slow_task.js`
 */
import { pathToFileURL } from 'node:url';
import { Runtime, Elapsed, JoinError, sleep, spawn, timeout, type Gen } from '../src/index.js';

/** Work that takes `ms` to produce its answer. */
function* slowTask(ms: number, log: string[]): Gen<string> {
  try {
    yield* sleep(ms);
    return `answer after ${ms} ms`;
  } finally {
    log.push(`slowTask(${ms}) ended`);
  }
}

/** 1: the work runs in this task, under a time limit. */
function* inline(work: number, limit: number, log: string[]): Gen<string> {
  try {
    return yield* timeout(limit, slowTask(work, log));
  } catch (e) {
    if (e instanceof Elapsed) return `timed out after ${limit} ms`;
    throw e;
  }
}

/** 2: the work is a spawned task; on timeout it is aborted and waited for. */
function* spawned(work: number, limit: number, log: string[]): Gen<string> {
  const h = spawn(slowTask, work, log);
  try {
    return yield* timeout<string>(limit, h);
  } catch (e) {
    if (!(e instanceof Elapsed)) throw e;
    h.abort();
    try {
      yield* h;
    } catch (j) {
      if (!(j instanceof JoinError && j.isCancelled())) throw j;
    }
    return `task timed out after ${limit} ms and was cancelled`;
  }
}

/** The test checks every outcome. */
export async function main(): Promise<{ results: string[]; log: string[] }> {
  const log: string[] = [];
  const rt = new Runtime();
  try {
    const results = [
      await rt.blockOn(inline, 5, 200, log),
      await rt.blockOn(inline, 500, 20, log),
      await rt.blockOn(spawned, 5, 200, log),
      await rt.blockOn(spawned, 500, 20, log),
    ];
    return { results, log };
  } finally {
    await rt.shutdown();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await main();
  for (const line of r.results) console.log(line);
  for (const l of r.log) console.log(' ', l);
}
