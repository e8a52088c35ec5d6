// Worker module of piscina and tinypool in bench/parallel.ts.
function fib(n: number): number {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}
export default function task(t: { op: 'tiny' | 'fib'; n: number }): number {
  return t.op === 'tiny' ? t.n + 1 : fib(t.n);
}
