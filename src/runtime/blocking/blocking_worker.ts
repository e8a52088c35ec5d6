/**
 * Entry module of a blocking-pool thread: runs one registered task at a time, as told by the
 * pool, and posts back its outcome.
 * @module
 */
import { parentPort } from 'node:worker_threads';
import { Runtime } from '../runtime.js';
import { lookupTask } from '../scheduler/multi_thread/registry.js';
import type { BlockingJob, BlockingReply } from './blocking_pool.js';

const port = parentPort!;
let rt: Runtime | null = null;

async function runJob(job: BlockingJob): Promise<unknown> {
  let e = lookupTask(job.name);
  if (e === undefined) {
    await import(job.url);
    e = lookupTask(job.name);
    if (e === undefined) throw Object.assign(new Error(`parallel task ${JSON.stringify(job.name)} is not registered by ${job.url}`), { name: 'UnknownTaskError' });
  }
  const fn = e.fn as (...a: unknown[]) => unknown;
  if (e.isGenerator) {
    rt ??= new Runtime({ name: 'kyoto-blocking' });
    return rt.blockOn(fn, ...job.args);
  }
  return fn(...job.args);
}

port.on('message', (job: BlockingJob) => {
  void (async () => {
    let reply: BlockingReply;
    try {
      const value = await runJob(job);
      reply = { id: job.id, ok: true, value };
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      reply = { id: job.id, ok: false, error: [e.name, e.message, e.stack ?? '', e.constructor.name] };
    }
    try {
      port.postMessage(reply);
    } catch (err) {
      const e = err as Error;
      port.postMessage({
        id: job.id,
        ok: false,
        error: ['ParallelArgumentError', `the result of blocking task ${job.name} cannot be copied to another thread: ${e.message}`, e.stack ?? '', 'TypeError'],
      } satisfies BlockingReply);
    }
  })();
});
