/**
 * Await chains: for a pending task, the futures it awaits from its body down to the leaf, with
 * the generator functions and source lines of the `yield*` expressions in between.
 *
 * Futures expose what they wait on through the {@link Traceable} protocol (combinators list
 * their children, leaves name themselves and what they wait for). Generator futures
 * (`future(fn, ...)`) and futures holding an `awaiting`/`inner` future are followed without it.
 * @module
 */
import { Future } from '../future/future.js';
import { GenFuture } from '../future/gen_future.js';
import { Task } from '../runtime/task/task.js';
import { awaitRecordOf, type AwaitFrame } from './trace.js';

/**
 * Optional methods a future implements so that dumps describe it well.
 *
 * @example
 * ```ts
 * class WriteFuture extends Future<void> implements Traceable {
 *   traceLabel() { return 'TcpStream.write'; }
 *   traceReason() { return this.draining ? 'drain' : ''; }
 *   poll(cx: Context) { ... }
 * }
 * class Join2 extends Future<[A, B]> implements Traceable {
 *   traceChildren() { return [this.a, this.b].filter((f) => f !== null); }
 * }
 * ```
 */
export interface Traceable {
  /** The name shown for this future (default: its class name). */
  traceLabel?(): string;
  /** What it waits for ('drain', 'readable', 'permit'), shown as `(waiting 3.2 s for drain)`. */
  traceReason?(): string;
  /** The futures it is currently polling (a combinator's pending branches). */
  traceChildren?(): readonly Future<unknown>[];
}

/** One future in an await chain. */
export interface AwaitNode {
  /** Label of the future (`TcpStream.write`, `Sleep`, `JoinHandle(worker#12)`). */
  label: string;
  /** The generator frames whose `yield*` awaited this future, outermost first. */
  frames: AwaitFrame[];
  /** How long it has been awaited (ms), or -1 when it was not traced. */
  waitingMs: number;
  /** What the future waits for, '' when it does not say. */
  reason: string;
  /** True for a generator future (shown by its frames, not by a label of its own). */
  generator: boolean;
  /** What this future awaits in turn. */
  children: AwaitNode[];
}

const MAX_DEPTH = 32;
const MAX_CHILDREN = 16;

/** The await tree of `task`, or null when it awaits nothing (not started, running, finished). */
export function awaitTree(task: Task<unknown>, now: number): AwaitNode | null {
  const root = task.awaitRoot();
  if (!(root instanceof Future)) return null;
  // The task itself is never a child: a future holding it holds its waker.
  return nodeOf(root, now, 0, new Set<object>([task]), -1);
}

function nodeOf(f: Future<unknown>, now: number, depth: number, seen: Set<object>, parentWait: number): AwaitNode {
  seen.add(f);
  const rec = awaitRecordOf(f);
  const frames = rec === undefined ? [] : rec.frames().slice().reverse();
  // A future polled by its parent (not through yield*) has waited as long as the parent.
  const waitingMs = rec === undefined ? parentWait : now - rec.since;
  const t = f as Future<unknown> & Traceable;
  let label: string;
  let generator = false;
  if (f instanceof Task) label = `JoinHandle(${f.name}#${f.id})`;
  else if (f instanceof GenFuture) {
    generator = true;
    label = f.fn !== null && f.fn.name !== '' ? f.fn.name : 'future';
  } else label = safe(() => (typeof t.traceLabel === 'function' ? t.traceLabel() : ''), '') || f.constructor.name || 'Future';
  const reason = safe(() => (typeof t.traceReason === 'function' ? t.traceReason() : resourceLabel(f)), '');
  const node: AwaitNode = {
    label,
    frames,
    waitingMs,
    reason,
    generator,
    children: [],
  };
  if (depth >= MAX_DEPTH || f instanceof Task) return node;
  for (const c of childrenOf(f)) {
    if (seen.has(c)) continue;
    node.children.push(nodeOf(c, now, depth + 1, seen, waitingMs));
    if (node.children.length >= MAX_CHILDREN) break;
  }
  return node;
}

function childrenOf(f: Future<unknown>): readonly Future<unknown>[] {
  const t = f as Future<unknown> & Traceable;
  if (typeof t.traceChildren === 'function') {
    const c = safe(() => t.traceChildren!(), []);
    return Array.isArray(c) ? c.filter((x): x is Future<unknown> => x instanceof Future) : [];
  }
  const o = f as unknown as Record<string, unknown>;
  for (const k of ['awaiting', 'inner', 'fut', 'future']) {
    const v = o[k];
    if (v instanceof Future) return [v];
  }
  // Otherwise: the futures (or arrays of futures, as join/select/race keep) in its own fields. A
  // task in a plain field is a stored waker, not something awaited.
  const out: Future<unknown>[] = [];
  let fields = 0;
  for (const k in o) {
    if (++fields > 16) break;
    const v = o[k];
    if (v instanceof Future) {
      if (!(v instanceof Task)) out.push(v);
    }
    else if (Array.isArray(v) && v.length > 0 && v.length <= 64) {
      for (const x of v) if (x instanceof Future) out.push(x);
    }
  }
  return out;
}

/** A tracked resource's label (a timer's deadline, a socket's address) as the wait reason. */
function resourceLabel(f: Future<unknown>): string {
  const r = f as unknown as { resourceInfo?: () => { label?: unknown } };
  if (typeof r.resourceInfo !== 'function') return '';
  const label = r.resourceInfo().label;
  return typeof label === 'string' ? label : '';
}

function safe<T>(fn: () => T, dflt: T): T {
  try {
    return fn();
  } catch {
    return dflt;
  }
}

/** Formats milliseconds as `850 µs`, `12 ms`, `3.2 s`, `4.0 min`. */
export function formatDuration(ms: number): string {
  if (ms < 1) return `${Math.round(ms * 1000)} µs`;
  if (ms < 1000) return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

/**
 * The chain as one line: `handleClient > writeAll > TcpStream.write (waiting 3.2 s for drain)`.
 * Branches of a combinator are shown as `join > [a > Sleep | b > Recv]`.
 */
export function chainLine(node: AwaitNode, taskName: string): string {
  const names: string[] = [];
  const first = node.frames[0];
  if (first === undefined || first.fn !== taskName) names.push(taskName);
  return [...names, ...partsOf(node)].join(' > ');
}

function partsOf(node: AwaitNode): string[] {
  const parts = node.frames.map((f) => f.fn);
  const leaf = node.children.length === 0;
  if (node.generator) {
    // A generator future is named by its inner frames when its child was traced.
    const child = node.children[0];
    const named = child !== undefined && child.frames.length > 0 && child.frames[0]!.fn === node.label;
    if (!named) parts.push(node.label);
  } else parts.push(leaf ? leafText(node) : node.label);
  if (node.children.length === 1) parts.push(...partsOf(node.children[0]!));
  else if (node.children.length > 1) parts.push(`[${node.children.map((c) => partsOf(c).join(' > ')).join(' | ')}]`);
  return parts;
}

function leafText(node: AwaitNode): string {
  if (node.waitingMs < 0 && node.reason === '') return node.label;
  const bits: string[] = [];
  if (node.waitingMs >= 0) bits.push(`waiting ${formatDuration(node.waitingMs)}`);
  if (node.reason !== '') bits.push(node.waitingMs >= 0 ? `for ${node.reason}` : `waiting for ${node.reason}`);
  return `${node.label} (${bits.join(' ')})`;
}

/** Every `yield*` site in the tree, outermost first, as `fn file:line:col`. */
export function chainSites(node: AwaitNode): string[] {
  const out: string[] = [];
  const walk = (n: AwaitNode): void => {
    for (const f of n.frames) out.push(`${f.fn} ${f.location}`);
    for (const c of n.children) walk(c);
  };
  walk(node);
  return out;
}
