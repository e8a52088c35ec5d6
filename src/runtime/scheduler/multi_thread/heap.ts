/**
 * The payload heap: a SharedArrayBuffer carved into power-of-two blocks (64 B .. 1 GiB) with
 * one free list per size class, guarded by the scheduler's global lock. Arguments and results
 * too large for a slot's inline area live here; any thread may free a block another allocated.
 * @module
 */
import { G_FREE, G_HEAP_BUMP, HEAP_CLASSES, type Shared } from './layout.js';

const HEADER = 8;

/**
 * Thrown when the shared payload heap cannot hold an argument or result.
 *
 * @example
 * ```ts
 * new Runtime({ flavor: 'multi_thread', parallelHeapBytes: 512 * 1024 * 1024 }); // a bigger heap
 * ```
 */
export class ParallelHeapExhaustedError extends RangeError {
  override name = 'ParallelHeapExhaustedError';
}

function classOf(bytes: number): number {
  let c = 0;
  let size = 64;
  while (size < bytes + HEADER) {
    size *= 2;
    c++;
  }
  return c;
}

/** Allocates `bytes`; returns the payload's byte offset in the heap. */
export function heapAlloc(sh: Shared, bytes: number, tid: number): number {
  const c = classOf(bytes);
  if (c >= HEAP_CLASSES) throw new ParallelHeapExhaustedError(`a payload of ${bytes} bytes is too large for the parallel heap`);
  const mem = sh.mem;
  const hw = sh.heapWords;
  sh.lock(tid);
  let block: number;
  try {
    block = mem[G_FREE + c]!;
    if (block !== 0) {
      mem[G_FREE + c] = hw[(block >> 2) + 1]!;
    } else {
      const bump = mem[G_HEAP_BUMP]!;
      const size = 64 * 2 ** c;
      if (bump + size > sh.heap.length) {
        throw new ParallelHeapExhaustedError(
          `the parallel heap (${sh.heap.length} bytes) cannot hold ${bytes} more bytes; raise parallelHeapBytes or await tasks before spawning more`,
        );
      }
      block = bump;
      mem[G_HEAP_BUMP] = bump + size;
    }
  } finally {
    sh.unlock();
  }
  hw[block >> 2] = c;
  return block + HEADER;
}

/** Frees a payload returned by `heapAlloc` (from any thread). */
export function heapFree(sh: Shared, off: number, tid: number): void {
  const block = off - HEADER;
  const hw = sh.heapWords;
  const c = hw[block >> 2]!;
  const mem = sh.mem;
  sh.lock(tid);
  hw[(block >> 2) + 1] = mem[G_FREE + c]!;
  mem[G_FREE + c] = block;
  sh.unlock();
}
