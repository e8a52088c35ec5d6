/**
 * Entry module of a scheduler worker thread: attaches to the shared state, starts a kyoto
 * runtime and runs the worker loop.
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Runtime } from '../../runtime.js';
import { Shared, type SharedInit } from './layout.js';
import type { SchedulerConfig } from '../config.js';
import { ThreadContext } from './thread_context.js';
import { WorkerLoop } from './worker_loop.js';
import { threadState } from './current.js';
import { threadRole } from './entry_guard.js';
import '../../../parallel/error_classes.js';

threadRole.onKyotoThread = true;
const data = workerData as { init: SharedInit; tid: number; config: SchedulerConfig };
const sh = new Shared(data.init);
const ctx = new ThreadContext(sh, data.tid);
threadState.worker = ctx;
// Per-poll timing is off on workers: the worker loop measures busy time itself.
const rt = new Runtime({ name: `kyoto-worker-${data.tid}`, timing: false });
const loop = new WorkerLoop(ctx, rt, data.config);
// The port keeps this thread alive between tasks; the pool terminates it at shutdown.
parentPort?.on('message', () => {});
loop.start();
// Tells the pool this worker started (a worker that dies before this is a startup failure).
parentPort?.postMessage('started');
