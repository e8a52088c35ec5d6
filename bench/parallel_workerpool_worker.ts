// Worker script of workerpool in bench/parallel.ts.
import workerpool from 'workerpool';
function fib(n: number): number {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}
workerpool.worker({ tiny: (n: number) => n + 1, fib });
