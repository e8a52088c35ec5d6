/**
 * The timer slab: every timer entry of the process lives in a few typed arrays, indexed by an
 * entry number, with the links of the wheel's slot lists stored as indexes. An entry costs
 * 28 bytes (8 for its deadline, 4 + 4 for the list links, 2 for its place in the wheel, 2 for the
 * wheel that owns it, 8 for the waker reference), against ~140 for a Node `Timeout` object.
 *
 * Entries are owned by the future that allocated them (a `Sleep`): the wheel fires an entry by
 * marking it `FIRED` and dropping its waker, and the owner frees it when it sees that (or when
 * it is dropped). Allocation and freeing are O(1) through a free list.
 *
 * The slab shrinks when it stays mostly free: once fewer than a quarter of its entries are live,
 * a check is armed for SHRINK_DELAY_MS later; if the slab is still that empty then, it is cut to
 * the smallest power of two (>= 1024) above both its highest live entry and twice the live
 * count, and the free list is rebuilt lowest index first, so that new timers fill the bottom and
 * the next shrink can cut more. The delay is the hysteresis: a burst of timers dropped and
 * re-made at once (a million-connection reconnect, a benchmark's second round) reuses the room
 * instead of cutting and regrowing it, which cost ~40 % of `sleep()` + drop when it was done at
 * once. Entries never move (their owners hold the index), so a single long-lived timer high in
 * the slab keeps the slab up to its index; an attempt that fails is not retried until the live
 * count halves again, which keeps freeing amortised O(1).
 * (`test/time/slab_shrink.test.ts`: 1e6 timers armed and released give the memory back.)
 * @module
 */
import type { Waker } from '../../future/future.js';
import { realClock } from '../clock.js';

/** `loc` of a free entry. */
export const FREE = -1;
/** `loc` of an allocated entry that is in no wheel (not yet armed, or disarmed). */
export const IDLE = -2;
/** `loc` of an entry the wheel fired: its owner completes when it next polls. */
export const FIRED = -3;

const INITIAL = 1024;
/**
 * How long the slab must stay under a quarter full before it is cut: long enough to span a
 * reconnect storm or a batch re-armed in the next turns, short next to how long a peak's
 * memory would otherwise be held (for good, before the slab shrank at all).
 */
export const SHRINK_DELAY_MS = 1000;

/** @internal The process-wide entry storage (see the module comment). */
export class TimerSlab {
  /** Deadline tick of the entry (ms since its wheel's origin; may exceed the wheel's range). */
  when = new Float64Array(INITIAL);
  /** Next entry in the slot list (or in the free list), -1 at the end. */
  next = new Int32Array(INITIAL);
  /** Previous entry in the slot list, -1 at the head. */
  prev = new Int32Array(INITIAL);
  /** level * 64 + slot while armed in a wheel; FREE, IDLE or FIRED otherwise. */
  loc = new Int16Array(INITIAL);
  /** Id of the wheel the entry is armed in. */
  owner = new Uint16Array(INITIAL);
  /** The waker to call when the entry fires (null when none); sized like the typed arrays. */
  wakers: (Waker | null)[] = new Array<Waker | null>(INITIAL).fill(null);
  /** Entries ever allocated (the high-water mark); entries at and past it are unused. */
  top = 0;
  /** Head of the free list (-1 when empty). */
  freeHead = -1;
  /** Entries currently allocated. */
  live = 0;
  /** A shrink is attempted when `live` drops to this (a quarter of the capacity); -1: never. */
  private shrinkBelow = -1;
  /** Times the slab was cut (for tests and metrics). */
  shrinks = 0;
  /** A shrink check is armed. */
  private shrinkArmed = false;
  private readonly shrinkCheck = (): void => {
    this.shrinkArmed = false;
    if (this.live <= this.shrinkBelow) this.shrink();
  };

  constructor() {
    this.loc.fill(FREE);
  }

  /** Allocates an IDLE entry and returns its index. */
  alloc(): number {
    let e = this.freeHead;
    if (e >= 0) {
      this.freeHead = this.next[e] as number;
    } else {
      e = this.top;
      if (e === this.when.length) this.grow();
      this.top = e + 1;
    }
    this.loc[e] = IDLE;
    this.live++;
    return e;
  }

  /** Frees an entry that is not armed in a wheel (IDLE or FIRED). */
  free(e: number): void {
    this.loc[e] = FREE;
    this.wakers[e] = null;
    this.next[e] = this.freeHead;
    this.freeHead = e;
    if (--this.live <= this.shrinkBelow && !this.shrinkArmed) this.armShrink();
  }

  private armShrink(): void {
    this.shrinkArmed = true;
    realClock.setTimer(this.shrinkCheck, SHRINK_DELAY_MS).unref();
  }

  /** Entries the slab has room for. */
  get capacity(): number {
    return this.when.length;
  }

  /** Bytes of typed-array storage held (for metrics and benchmarks). */
  bytes(): number {
    return this.when.byteLength + this.next.byteLength + this.prev.byteLength + this.loc.byteLength + this.owner.byteLength;
  }

  /** Cuts the slab down when its top part is free (see the module comment). */
  private shrink(): void {
    const loc = this.loc;
    let top = this.top;
    while (top > 0 && loc[top - 1] === FREE) top--;
    let n = INITIAL;
    while (n < top || n < 2 * this.live) n *= 2;
    const cap = this.when.length;
    if (n > cap / 2) {
      // Something lives high in the slab: try again once the live count has halved.
      this.shrinkBelow = this.live >> 1;
      return;
    }
    this.resize(n, top);
    this.top = top;
    // Rebuild the free list, lowest index first.
    let head = -1;
    const next = this.next;
    const l = this.loc;
    for (let i = top - 1; i >= 0; i--) {
      if (l[i] === FREE) {
        next[i] = head;
        head = i;
      }
    }
    this.freeHead = head;
    this.shrinks++;
    this.shrinkBelow = n > INITIAL ? n >> 2 : -1;
  }

  private grow(): void {
    this.resize(this.when.length * 2, this.top);
    this.shrinkBelow = this.when.length >> 2;
  }

  /** Reallocates every array with room for `n` entries, keeping the first `keep`. */
  private resize(n: number, keep: number): void {
    const when = new Float64Array(n);
    when.set(this.when.subarray(0, keep));
    this.when = when;
    const next = new Int32Array(n);
    next.set(this.next.subarray(0, keep));
    this.next = next;
    const prev = new Int32Array(n);
    prev.set(this.prev.subarray(0, keep));
    this.prev = prev;
    const loc = new Int16Array(n);
    loc.fill(FREE);
    loc.set(this.loc.subarray(0, keep));
    this.loc = loc;
    const owner = new Uint16Array(n);
    owner.set(this.owner.subarray(0, keep));
    this.owner = owner;
    // Exactly n slots (growing by push would over-allocate by up to half).
    const wakers = new Array<Waker | null>(n).fill(null);
    const old = this.wakers;
    for (let i = 0; i < keep; i++) wakers[i] = old[i] ?? null;
    this.wakers = wakers;
  }
}

/** @internal The slab of this thread. */
export const slab = new TimerSlab();
