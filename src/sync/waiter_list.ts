/**
 * The intrusive doubly-linked waiter list shared by every sync primitive and channel.
 *
 * The waiting futures are the list nodes themselves (they carry `wPrev`, `wNext`, `wList`), so
 * queuing allocates nothing, and a dropped (cancelled) waiter unlinks itself in O(1).
 * @module
 */

/** A waiter that can sit in a {@link WaiterList}. Declare the three fields in the constructor. */
export interface WaiterNode {
  wPrev: WaiterNode | null;
  wNext: WaiterNode | null;
  /** The list the node is in, or null. */
  wList: WaiterList<WaiterNode> | null;
}

/**
 * FIFO list of waiters with O(1) push, shift and removal of any node.
 *
 * @example
 * ```ts
 * const q = new WaiterList<MyWaiter>();
 * q.push(w);      // enqueue
 * q.remove(w);    // cancel: O(1)
 * const first = q.shift();
 * ```
 */
export class WaiterList<N extends WaiterNode> {
  head: N | null = null;
  tail: N | null = null;
  length = 0;

  /** Appends `n` (must not be in a list). */
  push(n: N): void {
    const t = this.tail;
    n.wPrev = t;
    n.wNext = null;
    n.wList = this as unknown as WaiterList<WaiterNode>;
    if (t === null) this.head = n;
    else t.wNext = n;
    this.tail = n;
    this.length++;
  }

  /** Removes and returns the first node, or null. */
  shift(): N | null {
    const h = this.head;
    if (h === null) return null;
    const nx = h.wNext as N | null;
    this.head = nx;
    if (nx === null) this.tail = null;
    else nx.wPrev = null;
    h.wNext = null;
    h.wList = null;
    this.length--;
    return h;
  }

  /** Unlinks `n` if it is in this list; returns whether it was. O(1). */
  remove(n: N): boolean {
    if (n.wList !== (this as unknown as WaiterList<WaiterNode>)) return false;
    const p = n.wPrev as N | null;
    const nx = n.wNext as N | null;
    if (p === null) this.head = nx;
    else p.wNext = nx;
    if (nx === null) this.tail = p;
    else nx.wPrev = p;
    n.wPrev = null;
    n.wNext = null;
    n.wList = null;
    this.length--;
    return true;
  }

  /** True when `n` is queued here. */
  has(n: N): boolean {
    return n.wList === (this as unknown as WaiterList<WaiterNode>);
  }

  isEmpty(): boolean {
    return this.head === null;
  }

  /** Removes every node, returning them in order. */
  drain(): N[] {
    const out: N[] = [];
    for (let n = this.shift(); n !== null; n = this.shift()) out.push(n);
    return out;
  }
}
