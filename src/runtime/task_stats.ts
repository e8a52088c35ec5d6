/**
 * Per-task instrumentation and lint flags, stored outside the task objects in a slab of typed
 * arrays so that a task stays one small object. A slot is taken at spawn and given back when the
 * task finishes.
 *
 * Invariants (test/core/task.test.ts): a slot's columns and flags are zeroed when it is taken;
 * `owner[slot]` is the live task in it, undefined once released. Lint flags take one byte per
 * slot (not a column of 32-bit words) to keep a pending task's typed-array share at ~73 bytes.
 * @module
 */

/** Float64 columns (stride F). */
export const F_CREATED = 0;
export const F_LAST_WAKE = 1;
export const F_BUSY = 2;
export const F_SCHED = 3;
const F = 4;
/** Int32 columns (stride I). */
export const I_PARENT = 0;
export const I_POLLS = 1;
export const I_WAKES = 2;
export const I_SELF_WAKES = 3;
const I = 4;
/** Lint flags (one byte per slot). */
/** The last poll returned Pending without reading `cx.waker`. */
export const FLAG_LOST_WAKER = 1;

/** @internal A growable slab of task slots; `owner[slot]` is the live object in that slot. */
export class StatsSlab<T> {
  f64: Float64Array;
  i32: Int32Array;
  flags: Uint8Array;
  owner: (T | undefined)[];
  private free: number[] = [];
  private top = 0;
  /** Live slots. */
  live = 0;

  constructor(capacity = 1024) {
    this.f64 = new Float64Array(capacity * F);
    this.i32 = new Int32Array(capacity * I);
    this.flags = new Uint8Array(capacity);
    this.owner = new Array<T | undefined>(capacity).fill(undefined);
  }

  /** Takes a slot for `owner`, zeroing its columns. */
  alloc(owner: T, created: number, parent: number): number {
    let slot: number;
    if (this.free.length > 0) slot = this.free.pop()!;
    else {
      slot = this.top++;
      if (slot >= this.owner.length) this.grow();
    }
    this.owner[slot] = owner;
    const f = slot * F;
    const f64 = this.f64;
    f64[f + F_CREATED] = created;
    f64[f + F_LAST_WAKE] = 0;
    f64[f + F_BUSY] = 0;
    f64[f + F_SCHED] = 0;
    const i = slot * I;
    const i32 = this.i32;
    i32[i + I_PARENT] = parent;
    i32[i + I_POLLS] = 0;
    i32[i + I_WAKES] = 0;
    i32[i + I_SELF_WAKES] = 0;
    this.flags[slot] = 0;
    this.live++;
    return slot;
  }

  release(slot: number): void {
    this.owner[slot] = undefined;
    this.free.push(slot);
    this.live--;
  }

  private grow(): void {
    const cap = this.owner.length * 2;
    const f64 = new Float64Array(cap * F);
    f64.set(this.f64);
    this.f64 = f64;
    const i32 = new Int32Array(cap * I);
    i32.set(this.i32);
    this.i32 = i32;
    const flags = new Uint8Array(cap);
    flags.set(this.flags);
    this.flags = flags;
    const old = this.owner.length;
    this.owner.length = cap;
    this.owner.fill(undefined, old);
  }

  /** Calls `fn` for each live owner. */
  forEach(fn: (owner: T, slot: number) => void): void {
    const owner = this.owner;
    for (let s = 0; s < this.top; s++) {
      const o = owner[s];
      if (o !== undefined) fn(o, s);
    }
  }

  f(slot: number, col: number): number {
    return this.f64[slot * F + col]!;
  }
  i(slot: number, col: number): number {
    return this.i32[slot * I + col]!;
  }
  addF(slot: number, col: number, v: number): void {
    this.f64[slot * F + col]! += v;
  }
  setF(slot: number, col: number, v: number): void {
    this.f64[slot * F + col] = v;
  }
  incI(slot: number, col: number): void {
    this.i32[slot * I + col]!++;
  }
  flag(slot: number, bit: number): boolean {
    return (this.flags[slot]! & bit) !== 0;
  }
  setFlag(slot: number, bit: number, on: boolean): void {
    const f = this.flags[slot]!;
    this.flags[slot] = on ? f | bit : f & ~bit;
  }
}
