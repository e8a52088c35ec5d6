/**
 * The simulator's seeded pseudo-random generator (xoshiro128**, seeded through splitmix32).
 *
 * Invariants: the same seed gives the same sequence on every platform (only 32-bit integer
 * arithmetic: `Math.imul`, shifts); `int(n)` is in [0, n); `next()` is in [0, 1); `fork()`
 * derives an independent stream without disturbing the parent's later draws more than one value.
 * Why xoshiro128**: four words of state, fast in V8 with int32 arithmetic, and good enough
 * statistics for schedules (this is not cryptography). Exercised by test/sim/determinism.test.ts (same seed, same run).
 * @module
 */

/**
 * A seeded random number generator; every random choice of a simulation comes from one.
 *
 * @example
 * ```ts
 * const rng = new Rng(42);
 * const die = 1 + rng.int(6);
 * ```
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${String(seed)}`);
    // Fold the whole 53-bit seed into 32 bits (low word, then high word mixed in).
    const lo = seed >>> 0;
    const hi = Math.floor(seed / 0x1_0000_0000) >>> 0;
    let s = (lo ^ Math.imul(hi, 0x9e3779b1)) >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    if ((this.a | this.b | this.c | this.d) === 0) this.d = 1;
  }

  /** The next 32-bit unsigned integer. */
  u32(): number {
    const b = this.b;
    const r = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    this.c ^= this.a;
    this.d ^= b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return r;
  }

  /**
   * A float in [0, 1) (what `Math.random` returns inside a simulation).
   *
   * @example
   * ```ts
   * if (rng.next() < 0.01) dropPacket();
   * ```
   */
  next(): number {
    // 53 bits: 27 from one draw, 26 from another.
    return ((this.u32() >>> 5) * 67108864 + (this.u32() >>> 6)) / 9007199254740992;
  }

  /**
   * An integer in [0, n) (n >= 1).
   *
   * @example
   * ```ts
   * const pick = list[rng.int(list.length)];
   * ```
   */
  int(n: number): number {
    return n <= 1 ? 0 : Math.floor(this.next() * n);
  }

  /**
   * An integer in [min, max], both included.
   *
   * @example
   * ```ts
   * const latency = rng.range(1, 5);
   * ```
   */
  range(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  /**
   * True with probability p.
   *
   * @example
   * ```ts
   * if (rng.chance(lossRate)) return; // datagram lost
   * ```
   */
  chance(p: number): boolean {
    return p > 0 && this.next() < p;
  }

  /**
   * A new generator seeded from this one (one draw): separate streams for separate concerns,
   * so that, say, the network's draws do not shift the scheduler's.
   *
   * @example
   * ```ts
   * const netRng = rng.fork();
   * ```
   */
  fork(): Rng {
    return new Rng(this.u32() * 2097152 + (this.u32() >>> 11));
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
