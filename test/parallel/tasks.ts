// Parallel tasks used by the tests (imported by every worker on first use).
import { parallel, type Gen } from '../../src/index.js';

export function seqFib(n: number): number {
  return n < 2 ? n : seqFib(n - 1) + seqFib(n - 2);
}

export const add = parallel(import.meta.url, 'test.add', (a: number, b: number) => a + b);
export const echo = parallel(import.meta.url, 'test.echo', (v: unknown) => v);

export const pfib = parallel(import.meta.url, 'test.pfib', function* (n: number, cutoff: number): Gen<number> {
  if (n < cutoff) return seqFib(n);
  const a = pfib.spawn(n - 1, cutoff);
  const b = pfib.spawn(n - 2, cutoff);
  return (yield* a) + (yield* b);
});
