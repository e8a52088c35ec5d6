/**
 * The simulator's ready set: every ready task of every host, each with the key the trace and
 * the strategy know it by (tasks are numbered in the order they first became ready).
 *
 * Invariants: a task is in the set at most once (the runtime hands over a task only on its
 * transition to notified); `take(i)` removes entry i by moving the last entry into its place, so
 * the order of the set, and with it every later choice, depends only on the sequence of
 * `add`/`take` calls. Proved by test/sim/determinism.test.ts.
 * @module
 */
import type { HostNode } from './node.js';
import type { SimTask } from './seams.js';

/** @internal */
export class ReadySet {
  readonly nodes: HostNode[] = [];
  readonly tasks: SimTask[] = [];
  /** Task keys, parallel to `tasks` (what the strategy chooses among). */
  readonly keys: number[] = [];
  length = 0;
  private readonly keyOf = new Map<SimTask, number>();
  private nextKey = 0;

  /** Adds a ready task; returns its key and whether it is new (a spawn) or known (a wake). */
  add(node: HostNode, task: SimTask): [key: number, fresh: boolean] {
    let key = this.keyOf.get(task);
    const fresh = key === undefined;
    if (key === undefined) {
      key = ++this.nextKey;
      this.keyOf.set(task, key);
    }
    const i = this.length++;
    this.nodes[i] = node;
    this.tasks[i] = task;
    this.keys[i] = key;
    return [key, fresh];
  }

  /** Removes entry i; the caller read `nodes[i]`, `tasks[i]`, `keys[i]` first. */
  take(i: number): void {
    const last = --this.length;
    this.nodes[i] = this.nodes[last]!;
    this.tasks[i] = this.tasks[last]!;
    this.keys[i] = this.keys[last]!;
  }

  /** Forgets a finished task's key (it will never be ready again). */
  finished(task: SimTask): void {
    this.keyOf.delete(task);
  }
}
