/**
 * Packets in flight on the simulated network, ordered by delivery time (a binary min-heap on
 * `(at, seq)`: equal times keep their sending order).
 *
 * Invariants: `pop` returns packets in non-decreasing `at`, and in sending order for equal `at`.
 * Proved by test/sim/network.test.ts.
 * @module
 */

/** A flow's ordering state: the latest arrival time scheduled on it. */
export interface Flow {
  lastAt: number;
}

/** @internal A packet: when it arrives, and what arriving does. */
export interface Packet {
  at: number;
  seq: number;
  /** Source and destination host indexes (for the trace and for holds). */
  readonly src: number;
  readonly dst: number;
  /** Payload size (bytes) for the trace. */
  readonly size: number;
  /** Datagrams may be lost; stream segments may not. */
  readonly datagram: boolean;
  /** The stream flow it belongs to (null for datagrams). */
  readonly flow: Flow | null;
  /** What arriving does (wakes the receiver). */
  readonly deliver: () => void;
}

/** @internal */
export class PacketQueue {
  private readonly heap: Packet[] = [];

  get length(): number {
    return this.heap.length;
  }

  /** Delivery time of the next packet, Infinity when empty. */
  nextAt(): number {
    return this.heap.length === 0 ? Infinity : this.heap[0]!.at;
  }

  push(p: Packet): void {
    const h = this.heap;
    h.push(p);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!less(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  pop(): Packet | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (top === undefined || last === undefined || h.length === 0) return top;
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && less(h[l]!, h[m]!)) m = l;
      if (r < h.length && less(h[r]!, h[m]!)) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
    return top;
  }
}

function less(a: Packet, b: Packet): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
