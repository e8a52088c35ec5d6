/**
 * The shared-memory layout of the multi-thread scheduler.
 *
 * One control SharedArrayBuffer holds, for every thread (index 0 is the thread that owns the
 * runtime, 1..n are the workers): a signal word it parks on, flags, its LIFO slot, its Chase-Lev
 * deque and its completion inbox; then the global injection queue, the table of task kinds and
 * the task slots. Each thread owns a range of `slotsPerThread` slots for the tasks it spawns.
 * A second buffer is the payload heap (see heap.ts); a third holds per-thread metrics.
 * @module
 */
import { SharedDeque, dequeWords } from './deque.js';
import { SharedMpmc, mpmcWords } from './mpmc.js';
import { BuddyHeap } from './buddy.js';
import { DEFAULT_SCHEDULER_CONFIG } from '../config.js';

/** Local deque capacity (the scheduler config's localQueueCapacity: part of the shared layout). */
export const DEQUE_CAPACITY = DEFAULT_SCHEDULER_CONFIG.localQueueCapacity;

// Global words.
export const G_LOCK = 0;
export const G_SEARCHING = 1;
export const G_IDLE = 2;
export const G_KINDS = 3;
export const G_SHUTDOWN = 4;
/** Free-list heads of the payload heap's buddy orders (see buddy.ts). */
export const G_FREE = 16;
export const HEAP_CLASSES = 32;
const GLOBAL_WORDS = G_FREE + HEAP_CLASSES;

// Per-thread words.
export const T_SIGNAL = 0;
export const T_PARKED = 1;
/** LIFO slot: slot id + 1, or 0. */
export const T_LIFO = 2;
/** Abort requests waiting for this thread's attention. */
export const T_CANCELS = 3;
export const T_SEARCHING = 4;
/** Set by a worker once, after shutdown began, every task on it has finished. */
export const T_DRAINED = 5;
const T_DEQUE = 8;
const THREAD_WORDS = T_DEQUE + dequeWords(DEQUE_CAPACITY) + 6;

// Slot words.
export const SLOT_WORDS = 32;
export const S_STATE = 0;
export const S_KIND = 1;
export const S_RUNNER = 2;
export const S_LEN = 3;
/** Heap offset of the payload, or 0 when it is inline. */
export const S_HEAP = 4;
export const S_OUTCOME = 5;
/** First byte of the inline payload, relative to the slot. */
export const S_INLINE_BYTE = 8 * 4;
export const INLINE_BYTES = (SLOT_WORDS - 8) * 4;

// Slot states.
export const ST_FREE = 0;
export const ST_QUEUED = 1;
export const ST_RUNNING = 2;
export const ST_DONE = 3;
/** Aborted while queued: whoever dequeues it hands it back to its owner. */
export const ST_CANCELLED_QUEUED = 4;
/** Or-ed into RUNNING: the owner asked for the task to be aborted. */
export const ST_CANCEL_REQ = 16;

// Outcomes.
export const OUT_OK = 1;
export const OUT_ERR = 2;
export const OUT_CANCELLED = 3;
export const OUT_DIED = 4;

/** Task kinds registered (name + module URL), shared by every thread. */
export const MAX_KINDS = 512;
const KIND_WORDS = 512;

// Metrics (Float64 per thread).
export const M_POLLS = 0;
export const M_STEALS = 1;
export const M_STEAL_OPS = 2;
export const M_PARKS = 3;
export const M_OVERFLOWS = 4;
export const M_BUSY = 5;
export const M_STARTED = 6;
export const M_NOOPS = 7;
export const METRIC_WORDS = 16;

/** What a thread needs to attach to the shared state (sent to workers as workerData). */
export interface SharedInit {
  readonly control: SharedArrayBuffer;
  readonly heap: SharedArrayBuffer;
  readonly metrics: SharedArrayBuffer;
  readonly workers: number;
  readonly slotsPerThread: number;
}

function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/** @internal Views on the shared buffers. */
export class Shared {
  readonly mem: Int32Array;
  readonly bytes: Uint8Array;
  readonly u16: Uint16Array;
  readonly heap: Uint8Array;
  readonly heapWords: Int32Array;
  readonly metrics: Float64Array;
  readonly threads: number;
  readonly workers: number;
  readonly slotsPerThread: number;
  readonly deques: SharedDeque[] = [];
  readonly inboxes: SharedMpmc[] = [];
  readonly inject: SharedMpmc;
  /** The payload heap's allocator (use it under `lock`). */
  readonly buddy: BuddyHeap;
  private readonly threadBase: number;
  readonly kindBase: number;
  readonly slotBase: number;

  constructor(readonly init: SharedInit) {
    this.mem = new Int32Array(init.control);
    this.bytes = new Uint8Array(init.control);
    this.u16 = new Uint16Array(init.control);
    this.heap = new Uint8Array(init.heap);
    this.heapWords = new Int32Array(init.heap);
    this.metrics = new Float64Array(init.metrics);
    this.workers = init.workers;
    this.threads = init.workers + 1;
    this.slotsPerThread = init.slotsPerThread;
    const l = Shared.offsets(init.workers, init.slotsPerThread);
    this.threadBase = GLOBAL_WORDS;
    for (let t = 0; t < this.threads; t++) {
      this.deques.push(new SharedDeque(this.mem, this.threadBase + t * THREAD_WORDS + T_DEQUE, DEQUE_CAPACITY));
      this.inboxes.push(new SharedMpmc(this.mem, l.inbox + t * mpmcWords(init.slotsPerThread), init.slotsPerThread));
    }
    this.inject = new SharedMpmc(this.mem, l.inject, l.injectCap);
    this.buddy = new BuddyHeap(this.mem, G_FREE, this.heapWords, this.heap.length);
    this.kindBase = l.kinds;
    this.slotBase = l.slots;
  }

  /** Word offsets of each region for a runtime of `workers` workers. */
  static offsets(workers: number, slotsPerThread: number) {
    const threads = workers + 1;
    const inbox = GLOBAL_WORDS + threads * THREAD_WORDS;
    const inject = inbox + threads * mpmcWords(slotsPerThread);
    const injectCap = nextPow2(threads * slotsPerThread);
    const kinds = inject + mpmcWords(injectCap);
    const slots = kinds + MAX_KINDS * KIND_WORDS;
    const total = slots + threads * slotsPerThread * SLOT_WORDS;
    return { inbox, inject, injectCap, kinds, slots, total };
  }

  /** Allocates and initialises fresh shared buffers. */
  static create(workers: number, slotsPerThread: number, heapBytes: number): SharedInit {
    const l = Shared.offsets(workers, slotsPerThread);
    const init: SharedInit = {
      control: new SharedArrayBuffer(l.total * 4),
      heap: new SharedArrayBuffer(heapBytes),
      metrics: new SharedArrayBuffer((workers + 1) * METRIC_WORDS * 8),
      workers,
      slotsPerThread,
    };
    const s = new Shared(init);
    for (const q of s.inboxes) q.init();
    s.inject.init();
    s.buddy.init();
    return init;
  }

  /** Index of thread `t`'s word `w`. */
  tw(t: number, w: number): number {
    return this.threadBase + t * THREAD_WORDS + w;
  }

  /** Word index of slot `id`'s field `f`. */
  sw(id: number, f: number): number {
    return this.slotBase + id * SLOT_WORDS + f;
  }

  /** Byte offset of slot `id`'s inline payload. */
  inlineByte(id: number): number {
    return (this.slotBase + id * SLOT_WORDS) * 4 + S_INLINE_BYTE;
  }

  /** The thread that owns (spawned) slot `id`. */
  ownerOf(id: number): number {
    return (id / this.slotsPerThread) | 0;
  }

  /** Sets a thread's signal and wakes it if it was parked on it. */
  wake(t: number): void {
    const i = this.tw(t, T_SIGNAL);
    if (Atomics.exchange(this.mem, i, 1) === 0) Atomics.notify(this.mem, i, 1);
  }

  /** Wakes up to `k` parked workers (other than `self`); returns how many were woken. */
  wakeParked(k: number, self: number): number {
    const mem = this.mem;
    if (Atomics.load(mem, G_IDLE) <= 0) return 0;
    const n = this.workers;
    let woken = 0;
    const start = (Math.random() * n) | 0;
    for (let i = 0; i < n && woken < k; i++) {
      const w = 1 + ((start + i) % n);
      if (w === self) continue;
      if (Atomics.compareExchange(mem, this.tw(w, T_PARKED), 1, 0) === 1) {
        Atomics.sub(mem, G_IDLE, 1);
        this.wake(w);
        woken++;
      }
    }
    return woken;
  }

  /** True when some queue holds a task a worker could take. */
  hasQueuedWork(): boolean {
    if (this.inject.len() > 0) return true;
    for (let t = 1; t < this.threads; t++) if (this.deques[t]!.len() > 0) return true;
    return false;
  }

  // ---- the global lock (heap and kind table) ------------------------------------------

  lock(tid: number): void {
    const mem = this.mem;
    let spins = 0;
    while (Atomics.compareExchange(mem, G_LOCK, 0, tid + 1) !== 0) {
      if (++spins > 1000) spins = 0;
    }
  }

  unlock(): void {
    Atomics.store(this.mem, G_LOCK, 0);
  }

  // ---- kind table ------------------------------------------------------------------------

  /** Id of the kind with this key (`name\nurl`), added if new. Throws when the table is full. */
  kindId(key: string, tid: number): number {
    const maxChars = (KIND_WORDS - 1) * 2;
    if (key.length > maxChars) throw new RangeError(`parallel task key too long (${key.length} > ${maxChars} characters): ${key.slice(0, 80)}...`);
    this.lock(tid);
    try {
      const n = this.mem[G_KINDS]!;
      for (let k = 0; k < n; k++) if (this.kindKey(k) === key) return k;
      if (n >= MAX_KINDS) throw new RangeError(`too many parallel task kinds (at most ${MAX_KINDS})`);
      const base = this.kindBase + n * KIND_WORDS;
      this.mem[base] = key.length;
      const c = (base + 1) * 2;
      for (let i = 0; i < key.length; i++) this.u16[c + i] = key.charCodeAt(i);
      Atomics.store(this.mem, G_KINDS, n + 1);
      return n;
    } finally {
      this.unlock();
    }
  }

  /** The key of kind `k`. */
  kindKey(k: number): string {
    const base = this.kindBase + k * KIND_WORDS;
    const len = this.mem[base]!;
    const c = (base + 1) * 2;
    let s = '';
    for (let i = 0; i < len; i++) s += String.fromCharCode(this.u16[c + i]!);
    return s;
  }
}

/** `Atomics.waitAsync` (ES2024; present in Node 20, missing from the ES2022 typings). */
export const waitAsync = (
  Atomics as unknown as {
    waitAsync(a: Int32Array, i: number, v: number): { async: false; value: string } | { async: true; value: Promise<string> };
  }
).waitAsync;
