/**
 * Entry module of a blocking-pool thread: runs one registered task at a time, as told by the
 * pool, and posts back its outcome.
 * @module
 */
import { parentPort } from 'node:worker_threads';
import { Runtime } from '../runtime.js';
import { lookupTask, UnknownTaskError } from '../scheduler/multi_thread/registry.js';
import { toWire } from '../scheduler/multi_thread/error_wire.js';
import { threadRole } from '../scheduler/multi_thread/entry_guard.js';
import { ParallelArgumentError } from '../scheduler/multi_thread/errors.js';
import '../../parallel/error_classes.js';
import type { BlockingJob, BlockingReply } from './blocking_pool.js';

threadRole.onKyotoThread = true;
const port = parentPort!;
let rt: Runtime | null = null;

async function runJob(job: BlockingJob): Promise<unknown> {
  let e = lookupTask(job.name);
  if (e === undefined) {
    await import(job.url);
    e = lookupTask(job.name);
    if (e === undefined) throw new UnknownTaskError(`parallel task ${JSON.stringify(job.name)} is not registered by ${job.url}`);
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
      reply = { id: job.id, ok: false, error: toWire(err) };
    }
    try {
      port.postMessage(reply);
    } catch (err) {
      const e = new ParallelArgumentError(`the result of blocking task ${job.name} cannot be copied to another thread: ${(err as Error).message}`);
      port.postMessage({ id: job.id, ok: false, error: toWire(e) } satisfies BlockingReply);
    }
  })();
});
