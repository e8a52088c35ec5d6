/**
 * Runtime metrics, named after Tokio's RuntimeMetrics (in camelCase).
 * @module
 */
import type { Executor } from './scheduler/current_thread/executor.js';
import { promiseWaits } from '../future/promise.js';

/** Figures of one worker (the current-thread runtime has one). */
export interface WorkerMetrics {
  pollCount: number;
  stealCount: number;
  stealOperations: number;
  parkCount: number;
  noopCount: number;
  overflowCount: number;
  localQueueDepth: number;
  totalBusyDuration: number;
  meanPollTime: number;
}

/** What `rt.metrics()` returns. Durations are in milliseconds. */
export interface RuntimeMetrics {
  numWorkers: number;
  numAliveTasks: number;
  globalQueueDepth: number;
  spawnedTasksCount: number;
  remoteScheduleCount: number;
  budgetForcedYieldCount: number;
  workerPollCount: number;
  workerStealCount: number;
  workerStealOperations: number;
  workerParkCount: number;
  workerNoopCount: number;
  workerLocalQueueDepth: number;
  workerOverflowCount: number;
  workerTotalBusyDuration: number;
  workerMeanPollTime: number;
  numBlockingThreads: number;
  numIdleBlockingThreads: number;
  blockingQueueDepth: number;
  /** Promises kyoto tasks are waiting on (fromPromise, promise tasks). */
  pendingPromises: number;
  /** Poll durations: count, mean, p50, p99, max (ms). */
  pollTimeHistogram: { count: number; mean: number; p50: number; p99: number; max: number };
  /** Scheduled-to-polled latency: count, mean, p50, p99, max (ms). */
  scheduleLatencyHistogram: { count: number; mean: number; p50: number; p99: number; max: number };
  workers: WorkerMetrics[];
  /** Figures added by drivers (timers, sockets, blocking pool, multi-thread workers). */
  [extra: string]: unknown;
}

/** @internal */
export function collectMetrics(ex: Executor): RuntimeMetrics {
  const ph = ex.pollHist;
  const sh = ex.schedHist;
  const worker: WorkerMetrics = {
    pollCount: ex.workerPollCount,
    stealCount: 0,
    stealOperations: 0,
    parkCount: ex.workerParkCount,
    noopCount: ex.workerNoopCount,
    overflowCount: 0,
    localQueueDepth: ex.queue.length,
    totalBusyDuration: ex.workerTotalBusyDuration,
    meanPollTime: ph.mean(),
  };
  const m: RuntimeMetrics = {
    numWorkers: 1,
    numAliveTasks: ex.stats.live,
    globalQueueDepth: 0,
    spawnedTasksCount: ex.spawnedTasksCount,
    remoteScheduleCount: ex.remoteScheduleCount,
    budgetForcedYieldCount: ex.budgetForcedYieldCount,
    workerPollCount: worker.pollCount,
    workerStealCount: 0,
    workerStealOperations: 0,
    workerParkCount: worker.parkCount,
    workerNoopCount: worker.noopCount,
    workerLocalQueueDepth: worker.localQueueDepth,
    workerOverflowCount: 0,
    workerTotalBusyDuration: worker.totalBusyDuration,
    workerMeanPollTime: worker.meanPollTime,
    numBlockingThreads: 0,
    numIdleBlockingThreads: 0,
    blockingQueueDepth: 0,
    pendingPromises: promiseWaits.pending,
    pollTimeHistogram: { count: ph.count, mean: ph.mean(), p50: ph.percentile(50), p99: ph.percentile(99), max: ph.max },
    scheduleLatencyHistogram: { count: sh.count, mean: sh.mean(), p50: sh.percentile(50), p99: sh.percentile(99), max: sh.max },
    workers: [worker],
  };
  for (const d of ex.drivers.values()) d.metrics?.(m);
  return m;
}
