/**
 * The payload heap: arguments and results too large for a slot's inline area live in a
 * SharedArrayBuffer managed by a buddy allocator (buddy.ts) whose free lists sit in the control
 * words, under the scheduler's global lock. Any thread may free a block another allocated.
 *
 * Invariants: a payload of n bytes takes one block of the smallest power of two >= n + 8; an
 * allocation fails only when no free block is big enough, and the error says which: the payload
 * exceeds what the heap can ever hold, or the heap is busy right now (how much is free, the
 * largest free block). Proved by test/parallel/heap.test.ts and heap.property.test.ts.
 * @module
 */
import type { Shared } from './layout.js';
import { BuddyHeap, HEADER } from './buddy.js';

/**
 * Thrown when the shared payload heap cannot hold an argument or result. `transient` is true
 * when it could once other payloads are freed (tasks in flight finish), false when the payload
 * is larger than the heap can ever hold.
 *
 * @example
 * ```ts
 * new Runtime({ flavor: 'multi_thread', parallelHeapBytes: 512 * 1024 * 1024 }); // a bigger heap
 * ```
 */
export class ParallelHeapExhaustedError extends RangeError {
  override name = 'ParallelHeapExhaustedError';
  /** True when the payload would fit once payloads in flight are freed. */
  transient = false;
}

function mib(n: number): string {
  return n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MiB` : `${n} bytes`;
}

/** Allocates room for `bytes`; returns the payload's byte offset in the heap. */
export function heapAlloc(sh: Shared, bytes: number, tid: number): number {
  const b = sh.buddy;
  const order = b.orderFor(bytes);
  if (order < 0) {
    throw new ParallelHeapExhaustedError(
      `a payload of ${bytes} bytes (${mib(bytes)}) cannot fit the parallel heap: it holds blocks of at most ${mib(BuddyHeap.size(b.maxOrder))} ` +
        `(parallelHeapBytes is ${mib(b.bytes)}; a payload needs a power-of-two block of at least its size + ${HEADER} bytes); raise parallelHeapBytes`,
    );
  }
  sh.lock(tid);
  let block: number;
  let stats: { free: number; largest: number } | null = null;
  try {
    block = b.alloc(order);
    if (block < 0) stats = b.freeStats();
  } finally {
    sh.unlock();
  }
  if (stats !== null) {
    const e = new ParallelHeapExhaustedError(
      `the parallel heap has no free block of ${mib(BuddyHeap.size(order))} for a payload of ${bytes} bytes right now ` +
        `(${mib(stats.free)} free of ${mib(b.bytes)}, the largest free block is ${mib(stats.largest)}; the rest holds arguments ` +
        `and results of tasks in flight); await some of them before spawning more, or raise parallelHeapBytes`,
    );
    e.transient = true;
    throw e;
  }
  return block + HEADER;
}

/** Frees a payload returned by `heapAlloc` (from any thread). */
export function heapFree(sh: Shared, off: number, tid: number): void {
  sh.lock(tid);
  try {
    sh.buddy.free(off - HEADER);
  } finally {
    sh.unlock();
  }
}
