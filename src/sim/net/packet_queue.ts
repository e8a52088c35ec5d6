/**
 * Packets in flight on the simulated network, ordered by delivery time (`TimedHeap`, on
 * `(at, seq)`: equal times keep their sending order).
 *
 * Invariants: `pop` returns packets in non-decreasing `at`, and in sending order for equal `at`.
 * Proved by test/sim/network.test.ts.
 * @module
 */
import { TimedHeap } from '../timed_heap.js';

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

/** @internal Packets in flight, by delivery time (the simulator's shared `(at, seq)` heap). */
export class PacketQueue extends TimedHeap<Packet> {}
