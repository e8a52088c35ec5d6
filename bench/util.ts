/**
 * Shared helpers for the benchmarks: medians and a ratio table.
 */

/** Median of a non-empty list. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Percentile (0..100) of a list, nearest rank. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

/** One line of a benchmark summary. */
export interface Row {
  bench: string;
  subject: string;
  value: number;
  unit: string;
  vsNative?: number;
  vsEffect?: number;
  vsEffection?: number;
}

/** Prints rows as a Markdown table (ratios: peer / kyoto, so > 1 means kyoto wins). */
export function printTable(rows: readonly Row[]): void {
  const fmt = (x: number | undefined) => (x === undefined ? '' : `${x.toFixed(2)}x`);
  console.log('| benchmark | subject | value | vs native | vs Effect | vs Effection |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(
      `| ${r.bench} | ${r.subject} | ${r.value.toFixed(0)} ${r.unit} | ${fmt(r.vsNative)} | ${fmt(r.vsEffect)} | ${fmt(r.vsEffection)} |`,
    );
  }
}
