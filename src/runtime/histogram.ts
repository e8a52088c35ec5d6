/**
 * A log-bucketed histogram of durations in milliseconds (HDR-style: each power of two from 1 µs
 * to ~1 h is split into 8 linear sub-buckets, so any recorded value is within 12.5 % of its
 * bucket's bounds). Recording is a few arithmetic operations and one typed-array increment.
 * @module
 */

const SUB = 8; // sub-buckets per power of two
const MIN_US = 1; // values below 1 µs land in bucket 0
const OCTAVES = 31; // 1 µs · 2^31 ≈ 36 minutes; longer values go to one overflow bucket
const OVERFLOW = OCTAVES * SUB + 1;

/**
 * A histogram of durations (ms).
 *
 * @example
 * ```ts
 * const h = new Histogram();
 * h.record(0.25);
 * h.percentile(99); // ≈ 0.25
 * ```
 */
export class Histogram {
  readonly counts = new Float64Array(OVERFLOW + 1);
  count = 0;
  sum = 0;
  max = 0;
  min = Infinity;

  /** Records one duration in milliseconds. */
  record(ms: number): void {
    if (!(ms >= 0)) ms = 0;
    this.counts[bucketOf(ms)]!++;
    this.count++;
    this.sum += ms;
    if (ms > this.max) this.max = ms;
    if (ms < this.min) this.min = ms;
  }

  /** Mean of recorded values (ms), 0 when empty. */
  mean(): number {
    return this.count === 0 ? 0 : this.sum / this.count;
  }

  /** The value (ms, a bucket's upper bound) below which `p` percent of values fall. */
  percentile(p: number): number {
    if (this.count === 0) return 0;
    const target = Math.max(1, Math.ceil((p / 100) * this.count));
    let seen = 0;
    for (let b = 0; b < this.counts.length; b++) {
      seen += this.counts[b]!;
      if (seen >= target) return Math.min(upperBound(b), this.max);
    }
    return this.max;
  }

  /** Non-empty buckets as `[lowerMs, upperMs, count]`. */
  buckets(): [number, number, number][] {
    const out: [number, number, number][] = [];
    for (let b = 0; b < this.counts.length; b++) {
      const c = this.counts[b]!;
      if (c > 0) out.push([lowerBound(b), upperBound(b), c]);
    }
    return out;
  }

  /** Adds another histogram's counts into this one. */
  merge(other: Histogram): void {
    for (let b = 0; b < this.counts.length; b++) this.counts[b]! += other.counts[b]!;
    this.count += other.count;
    this.sum += other.sum;
    if (other.max > this.max) this.max = other.max;
    if (other.min < this.min) this.min = other.min;
  }

  reset(): void {
    this.counts.fill(0);
    this.count = 0;
    this.sum = 0;
    this.max = 0;
    this.min = Infinity;
  }
}

function bucketOf(ms: number): number {
  const us = ms * 1000;
  if (us < MIN_US) return 0;
  if (us >= 2147483647) return OVERFLOW;
  const u = us | 0;
  const e = 31 - Math.clz32(u);
  // The three bits below the leading one select the linear sub-bucket.
  const sub = e >= 3 ? (u >>> (e - 3)) & 7 : Math.floor(((us - (1 << e)) / (1 << e)) * SUB);
  return 1 + e * SUB + sub;
}

function lowerBound(b: number): number {
  if (b === 0) return 0;
  if (b === OVERFLOW) return 2147483647 / 1000;
  const i = b - 1;
  const e = Math.floor(i / SUB);
  const sub = i % SUB;
  return ((2 ** e) * (1 + sub / SUB)) / 1000;
}

function upperBound(b: number): number {
  if (b === 0) return MIN_US / 1000;
  if (b === OVERFLOW) return Infinity;
  const i = b - 1;
  const e = Math.floor(i / SUB);
  const sub = i % SUB;
  return ((2 ** e) * (1 + (sub + 1) / SUB)) / 1000;
}
