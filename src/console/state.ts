/**
 * The views the console serves (to the web UI, the terminal UI and tests), built from a runtime.
 * @module
 */
import type { Runtime } from '../runtime/runtime.js';
import type { Task } from '../runtime/task/task.js';
import { listResources, type ResourceInfo } from '../runtime/resources.js';
import { snapshotTask, type TaskSnapshot } from '../runtime/snapshot.js';
import type { Histogram } from '../runtime/histogram.js';
import type { WorkerMetrics } from '../runtime/metrics.js';
import { awaitTree, chainLine, type AwaitNode } from './chain.js';
import { instrumentOf } from './instrument.js';
import { lintConfig, stateLints, type Lint } from './lints.js';

/** One row of the task table. */
export interface TaskRow extends TaskSnapshot {
  /** ms since spawn. */
  ageMs: number;
  /** ms neither polled nor queued: age − busy − scheduled. */
  idleMs: number;
  /** ms since the last wake, -1 if never woken. */
  sinceWakeMs: number;
  /** The await chain as one line ('' when it awaits nothing). */
  chain: string;
  /** Kinds of the lints that concern this task. */
  lints: string[];
}

/** A histogram as sent to clients. */
export interface HistogramView {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** Non-empty buckets: [lowerMs, upperMs, count]. */
  buckets: [number, number, number][];
}

/** Everything the clients show, sent every update. */
export interface ConsoleState {
  /** performance.now() and Date.now() on the server when taken. */
  now: number;
  wallClock: number;
  runtime: string;
  /** Live tasks, sorted by id (at most `maxTasks` of them, taken in slot order, when there are more). */
  tasks: TaskRow[];
  totalTasks: number;
  resources: ResourceInfo[];
  workers: WorkerMetrics[];
  blocking: { threads: number; idle: number; queueDepth: number };
  metrics: Record<string, unknown>;
  lints: Lint[];
  histograms: { poll: HistogramView; scheduled: HistogramView };
}

/** The detail of one task. */
export interface TaskDetail {
  task: TaskRow;
  chain: AwaitNode | null;
  poll: HistogramView | null;
  scheduled: HistogramView | null;
  lints: Lint[];
}

/** Summarizes a histogram for clients. */
export function histogramView(h: Histogram): HistogramView {
  return {
    count: h.count,
    min: h.count === 0 ? 0 : h.min,
    mean: h.mean(),
    p50: h.percentile(50),
    p90: h.percentile(90),
    p99: h.percentile(99),
    max: h.max,
    buckets: h.buckets(),
  };
}

/** Every lint of `rt`: recorded ones when the console is attached, and the live state lints. */
export function lintsOf(rt: Runtime): Lint[] {
  const ins = instrumentOf(rt);
  if (ins !== undefined) return ins.allLints();
  const out: Lint[] = [];
  const cfg = lintConfig();
  const now = performance.now();
  rt.executor.stats.forEach((t) => stateLints(t, cfg, now, out));
  return out;
}

/** A task-table row. */
export function taskRow(t: Task<unknown>, now: number, lintKinds: Map<number, string[]>): TaskRow {
  // The snapshot is fresh: extend it in place rather than copying its fields.
  const r = snapshotTask(t) as TaskRow;
  const ageMs = r.createdAt > 0 ? now - r.createdAt : 0;
  const tree = awaitTree(t, now);
  r.ageMs = ageMs;
  r.idleMs = Math.max(0, ageMs - r.busyMs - r.scheduledMs);
  r.sinceWakeMs = r.lastWakeAt > 0 ? now - r.lastWakeAt : -1;
  r.chain = tree === null ? '' : chainLine(tree, r.name);
  r.lints = lintKinds.get(r.id) ?? NO_LINTS;
  return r;
}

const NO_LINTS: string[] = [];

function lintIndex(lints: readonly Lint[]): Map<number, string[]> {
  const m = new Map<number, string[]>();
  for (const l of lints) {
    if (l.taskId === 0) continue;
    const a = m.get(l.taskId);
    if (a === undefined) m.set(l.taskId, [l.kind]);
    else if (!a.includes(l.kind)) a.push(l.kind);
  }
  return m;
}

/** The full state of `rt` for clients. */
export function consoleState(rt: Runtime, maxTasks = 1000): ConsoleState {
  const now = performance.now();
  const lints = lintsOf(rt);
  const kinds = lintIndex(lints);
  const tasks: TaskRow[] = [];
  let total = 0;
  rt.executor.stats.forEach((t) => {
    total++;
    if (tasks.length < maxTasks) tasks.push(taskRow(t, now, kinds));
  });
  tasks.sort((a, b) => a.id - b.id);
  const m = rt.metrics();
  const metrics: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(m)) if (k !== 'workers') metrics[k] = v;
  return {
    now,
    wallClock: Date.now(),
    runtime: rt.options.name ?? 'kyoto',
    tasks,
    totalTasks: total,
    resources: safeResources(),
    workers: m.workers,
    blocking: { threads: m.numBlockingThreads, idle: m.numIdleBlockingThreads, queueDepth: m.blockingQueueDepth },
    metrics,
    lints,
    histograms: { poll: histogramView(rt.executor.pollHist), scheduled: histogramView(rt.executor.schedHist) },
  };
}

function safeResources(): ResourceInfo[] {
  try {
    return listResources();
  } catch {
    return [];
  }
}

/** The detail of task `id`, or null when no live task has that id. */
export function taskDetail(rt: Runtime, id: number): TaskDetail | null {
  let found: Task<unknown> | null = null;
  rt.executor.stats.forEach((t) => {
    if (t.id === id) found = t;
  });
  if (found === null) return null;
  const t: Task<unknown> = found;
  const now = performance.now();
  const lints = lintsOf(rt).filter((l) => l.taskId === id);
  const ins = instrumentOf(rt);
  const x = ins?.extraOf(t);
  return {
    task: taskRow(t, now, lintIndex(lints)),
    chain: awaitTree(t, now),
    poll: x === undefined ? null : histogramView(x.polls()),
    scheduled: x === undefined ? null : histogramView(x.latencies()),
    lints,
  };
}
