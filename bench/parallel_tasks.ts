// kyoto parallel tasks of bench/parallel.ts (imported by every kyoto worker).
import { parallel, type Gen } from '../src/index.js';

export function fib(n: number): number {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

export const tiny = parallel(import.meta.url, 'bench.tiny', (x: number) => x + 1);
export const fibTask = parallel(import.meta.url, 'bench.fib', (n: number) => fib(n));
export const forkFib = parallel(import.meta.url, 'bench.forkFib', function* (n: number, cutoff: number): Gen<number> {
  if (n <= cutoff) return fib(n);
  const a = forkFib.spawn(n - 1, cutoff);
  const b = forkFib.spawn(n - 2, cutoff);
  return (yield* a) + (yield* b);
});
