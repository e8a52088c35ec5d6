/**
 * The hierarchical timing wheel: 6 levels of 64 slots, 1 ms per tick at level 0, so level `L`
 * slots are 64^L ms wide (1 ms, 64 ms, ~4 s, ~4.4 min, ~4.7 h, ~12.4 days) and the wheel spans
 * 2^36 ms (~2.2 years) ahead of its `elapsed` tick.
 *
 * - An entry goes to the level of the highest 6-bit group in which its deadline differs from
 *   `elapsed`, in the slot given by that group: O(1) insert, and O(1) cancel through the
 *   index-linked slot lists of the slab.
 * - Each level keeps a 64-bit occupancy bitmap as two 32-bit words; the next occupied slot at
 *   or after the current one is found with `Math.clz32` (count trailing zeros), never by scanning.
 * - Polling to `now` takes the earliest occupied slot whose start is due, fires the entries that
 *   are due and files the others (cascades them) into lower levels, until no slot is due. Fired
 *   entries are handed back in one batch.
 * - Deadlines further than the range are parked in the last level at the range's end and are
 *   re-filed when that slot comes up: they never fire early. When the last level is the lowest
 *   occupied one (nothing else is due sooner), processing it rebases every entry of that level
 *   to the latest tick that skips no deadline (`min(now, earliest - 1)`), so a far deadline costs
 *   O(levels) slot visits to reach, not one visit per 2^36 ms (`sleep(1e300)` on a paused clock
 *   used to loop without end). Ticks are clamped to `MAX_TICK` (2^52 ms, ~142,000 years), where
 *   integer arithmetic on doubles is still exact (`test/time/far_deadline.test.ts`).
 *
 * This is Tokio's wheel, with 64-bit masks split in two since JavaScript bit operations are
 * 32-bit.
 * @module
 */
import { FIRED, IDLE, slab } from './slab.js';

/** Levels of the wheel. */
export const LEVELS = 6;
/** Slots per level. */
export const SLOTS = 64;
/** Ticks (ms) the wheel spans: 2^36. */
export const WHEEL_RANGE = 2 ** 36;
/** The largest tick an entry is filed for: later deadlines are treated as due then. */
export const MAX_TICK = 2 ** 52;
const TOP = LEVELS - 1;

const HI = 2 ** 30;
const LO_MASK = 0x3fffffff;
/** 64^L for L = 0..6. */
const RANGE = [1, 64, 4096, 262144, 16777216, 1073741824, 68719476736];

/** Count of trailing zero bits of a non-zero 32-bit word. */
function ctz(x: number): number {
  return 31 - Math.clz32(x & -x);
}

/** The first occupied slot at or after `s`, wrapping around, in a 64-bit mask (lo, hi). */
export function nextSlot(lo: number, hi: number, s: number): number {
  if (s < 32) {
    const m = lo & (-1 << s);
    if (m !== 0) return ctz(m);
    if (hi !== 0) return 32 + ctz(hi);
    return ctz(lo);
  }
  const m = hi & (-1 << (s - 32));
  if (m !== 0) return 32 + ctz(m);
  if (lo !== 0) return ctz(lo);
  return 32 + ctz(hi);
}

/** The level an entry due at `when` belongs to when the wheel is at `elapsed` (when > elapsed). */
export function levelFor(elapsed: number, when: number): number {
  if ((when >= HI || elapsed >= HI) && Math.floor(when / HI) !== Math.floor(elapsed / HI)) return 5;
  const m = ((when & LO_MASK) ^ (elapsed & LO_MASK)) | 63;
  return ((31 - Math.clz32(m)) / 6) | 0;
}

/** The slot of `when` at `level`. */
export function slotFor(when: number, level: number): number {
  if (level === 5) return Math.floor(when / HI) & 63;
  return ((when & LO_MASK) >>> (6 * level)) & 63;
}

/** @internal One wheel; its entries live in the process-wide slab. */
export class Wheel {
  /** The tick the wheel has been processed up to: everything due at or before it has fired. */
  elapsed: number;
  /** Entries armed in the wheel. */
  count = 0;
  /** Slot lists processed (fired or re-filed) so far: what a far deadline must keep small. */
  visits = 0;
  /** Id written into the slab's `owner` of every entry armed here. */
  readonly id: number;
  /** First and last entry of each slot list (level * 64 + slot), -1 when empty. */
  private readonly head = new Int32Array(LEVELS * SLOTS).fill(-1);
  private readonly tail = new Int32Array(LEVELS * SLOTS).fill(-1);
  /** Occupancy: words 2L (slots 0..31) and 2L + 1 (slots 32..63) of level L. */
  private readonly occ = new Int32Array(LEVELS * 2);
  // Result of nextExpiration() (fields, so that finding it allocates nothing).
  private expLevel = 0;
  private expSlot = 0;
  /** Start of the earliest occupied slot, as computed by the last `nextExpiration()`. */
  expDeadline = 0;

  constructor(start = 0, id = 0) {
    this.elapsed = start;
    this.id = id;
  }

  /**
   * Arms entry `e` (IDLE in the slab) for tick `when`. Returns false, leaving it IDLE, when
   * `when` is not after `elapsed`: the caller fires it at once.
   */
  insert(e: number, when: number): boolean {
    if (!(when > this.elapsed)) return false;
    if (when > MAX_TICK) when = MAX_TICK;
    slab.when[e] = when;
    this.link(e, when, this.elapsed);
    this.count++;
    return true;
  }

  /** Disarms entry `e` (armed here): O(1). It becomes IDLE. */
  remove(e: number): void {
    const s = slab;
    const idx = s.loc[e] as number;
    const p = s.prev[e] as number;
    const n = s.next[e] as number;
    if (p >= 0) s.next[p] = n;
    else this.head[idx] = n;
    if (n >= 0) s.prev[n] = p;
    else this.tail[idx] = p;
    if (this.head[idx] === -1) this.clearBit(idx);
    s.loc[e] = IDLE;
    this.count--;
  }

  /**
   * Processes the wheel up to tick `now`: every entry due at or before `now` is marked FIRED
   * and appended to `out`, in deadline order. Returns how many fired.
   */
  poll(now: number, out: number[]): number {
    let fired = 0;
    const s = slab;
    while (this.count > 0 && this.nextExpiration() && this.expDeadline <= now) {
      if (this.expLevel === TOP) {
        // Only the last level is occupied: skip ahead to the latest tick that skips no deadline.
        const to = Math.min(now, this.earliestTop() - 1);
        if (to > this.expDeadline) {
          this.visits++;
          this.rebaseTop(to);
          continue;
        }
      }
      const d = this.expDeadline;
      const idx = this.expLevel * SLOTS + this.expSlot;
      this.visits++;
      let e = this.head[idx] as number;
      this.head[idx] = -1;
      this.tail[idx] = -1;
      this.clearBit(idx);
      this.elapsed = d;
      while (e >= 0) {
        const n = s.next[e] as number;
        const when = s.when[e] as number;
        if (when <= d) {
          s.loc[e] = FIRED;
          this.count--;
          out.push(e);
          fired++;
        } else {
          this.link(e, when, d);
        }
        e = n;
      }
    }
    if (now > this.elapsed) this.elapsed = now < MAX_TICK ? now : MAX_TICK;
    return fired;
  }

  /**
   * Finds the earliest occupied slot: sets `expDeadline` to its start and returns true, or
   * returns false when the wheel is empty. Only the lowest occupied level matters: every entry
   * of a level is due before any entry of the levels above it.
   */
  nextExpiration(): boolean {
    const occ = this.occ;
    const el = this.elapsed;
    for (let level = 0; level < LEVELS; level++) {
      const lo = occ[2 * level] as number;
      const hi = occ[2 * level + 1] as number;
      if ((lo | hi) === 0) continue;
      const slotRange = RANGE[level] as number;
      const levelRange = RANGE[level + 1] as number;
      const nowSlot = Math.floor(el / slotRange) % SLOTS;
      // Search from the slot after the current one: the current slot of a level is empty, except
      // at the last level where it can hold deadlines a whole range ahead, due last.
      const slot = nextSlot(lo, hi, (nowSlot + 1) & 63);
      let deadline = el - (el % levelRange) + slot * slotRange;
      // Only at the last level can a slot at or before the current one hold entries (deadlines
      // a whole range ahead): they come up one range later.
      if (deadline <= el) deadline += levelRange;
      this.expLevel = level;
      this.expSlot = slot;
      this.expDeadline = deadline;
      return true;
    }
    return false;
  }

  /**
   * When entry `e` (armed here) next needs processing: the start of its slot (its deadline at
   * level 0; at higher levels, when it cascades).
   */
  slotStartOf(e: number): number {
    const idx = slab.loc[e] as number;
    const when = slab.when[e] as number;
    const level = idx >> 6;
    if (level === 0) return when;
    const el = this.elapsed;
    const w = when - el >= WHEEL_RANGE ? el + WHEEL_RANGE - 1 : when;
    const start = w - (w % (RANGE[level] as number));
    return start > el ? start : el + 1;
  }

  /** Start of the earliest occupied slot, or Infinity when the wheel is empty. */
  nextDeadline(): number {
    return this.count > 0 && this.nextExpiration() ? this.expDeadline : Infinity;
  }

  /**
   * The earliest tick at which an entry can fire, or Infinity: the start of the earliest slot,
   * or, when only the last level is occupied, its earliest deadline (a paused clock jumps there
   * directly instead of visiting every 2^36 ms of a far deadline).
   */
  nextEventTick(): number {
    if (this.count === 0 || !this.nextExpiration()) return Infinity;
    return this.expLevel === TOP ? Math.max(this.expDeadline, this.earliestTop()) : this.expDeadline;
  }

  /** The earliest deadline among the entries of the last level (Infinity when none). */
  private earliestTop(): number {
    const s = slab;
    let m = Infinity;
    for (let idx = TOP * SLOTS; idx < LEVELS * SLOTS; idx++) {
      for (let e = this.head[idx] as number; e >= 0; e = s.next[e] as number) {
        const w = s.when[e] as number;
        if (w < m) m = w;
      }
    }
    return m;
  }

  /** Moves `elapsed` to `to` and re-files every entry of the last level (the only one occupied). */
  private rebaseTop(to: number): void {
    const s = slab;
    // Chain the slot lists in order (keeping each slot's FIFO order), then file them again.
    let list = -1;
    let last = -1;
    for (let idx = TOP * SLOTS; idx < LEVELS * SLOTS; idx++) {
      const h = this.head[idx] as number;
      if (h < 0) continue;
      if (last < 0) list = h;
      else s.next[last] = h;
      last = this.tail[idx] as number;
      this.head[idx] = -1;
      this.tail[idx] = -1;
    }
    this.occ[2 * TOP] = 0;
    this.occ[2 * TOP + 1] = 0;
    this.elapsed = to;
    for (let e = list; e >= 0; ) {
      const n = s.next[e] as number;
      this.link(e, s.when[e] as number, to);
      e = n;
    }
  }

  /** Disarms every entry (they become IDLE, their wakers are released); used at shutdown. */
  clear(): void {
    const s = slab;
    for (let idx = 0; idx < LEVELS * SLOTS; idx++) {
      let e = this.head[idx] as number;
      while (e >= 0) {
        const n = s.next[e] as number;
        s.loc[e] = IDLE;
        s.wakers[e] = null;
        e = n;
      }
      this.head[idx] = -1;
      this.tail[idx] = -1;
    }
    this.occ.fill(0);
    this.count = 0;
  }

  /** Appends `e` to the slot list for `when` (clamped to the wheel's range) seen from `el`. */
  private link(e: number, when: number, el: number): void {
    const w = when - el >= WHEEL_RANGE ? el + WHEEL_RANGE - 1 : when;
    const level = levelFor(el, w);
    const slot = slotFor(w, level);
    const idx = level * SLOTS + slot;
    const s = slab;
    const t = this.tail[idx] as number;
    s.prev[e] = t;
    s.next[e] = -1;
    if (t >= 0) s.next[t] = e;
    else {
      this.head[idx] = e;
      if (slot < 32) this.occ[2 * level] = (this.occ[2 * level] as number) | (1 << slot);
      else this.occ[2 * level + 1] = (this.occ[2 * level + 1] as number) | (1 << (slot - 32));
    }
    this.tail[idx] = e;
    s.loc[e] = idx;
    s.owner[e] = this.id;
  }

  private clearBit(idx: number): void {
    const level = (idx / SLOTS) | 0;
    const slot = idx & 63;
    if (slot < 32) this.occ[2 * level] = (this.occ[2 * level] as number) & ~(1 << slot);
    else this.occ[2 * level + 1] = (this.occ[2 * level + 1] as number) & ~(1 << (slot - 32));
  }
}
