/**
 * A waker that joins a request task for `toNodeHandler`: it is the task's joiner (woken once
 * when the task completes), so waiting for a handler costs no promise and no closure.
 *
 * Invariant (test/http/node_handler.test.ts, test/http/node_upgrade.test.ts): exactly one of
 * `finished` and `failed` runs, once, after the task completed; a wake before then only
 * re-registers the joiner.
 * @module
 */
import { Pending, type Context } from '../future/future.js';
import { WakerBase, contextFromWaker } from '../future/waker.js';
import type { JoinHandle } from '../runtime/task/join_handle.js';

/** @internal */
export abstract class TaskJoin extends WakerBase {
  readonly cx: Context;
  /** `finished` or `failed` ran. */
  protected settled = false;
  constructor(protected readonly h: JoinHandle<unknown>) {
    super();
    this.cx = contextFromWaker(this);
  }
  /** The task returned `out`. */
  protected abstract finished(out: unknown): void;
  /** The task failed (its JoinError). */
  protected abstract failed(e: unknown): void;
  wake(): void {
    if (this.settled) return;
    let out: unknown;
    try {
      out = this.h.poll(this.cx);
    } catch (e) {
      this.settled = true;
      this.failed(e);
      return;
    }
    if (out === Pending) return;
    this.settled = true;
    this.finished(out);
  }
}
