/**
 * Awaiting kyoto futures from async code (`npm run bench:await`): `await sleep(0)` against
 * `await new Promise((r) => setTimeout(r, 0))`, and `await ready(v)` against `await v`. Each
 * figure is the median of 5 rounds, in one process, kyoto and Node interleaved.
 */
import { ready, sleep } from '../src/index.js';
import { median } from './util.js';

async function timeIt(n: number, body: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await body();
  return ((performance.now() - t0) * 1e6) / n;
}

async function main(): Promise<void> {
  const N_TIMER = 2_000;
  const N_READY = 200_000;
  const rounds = { sleep: [] as number[], setTimeout: [] as number[], ready: [] as number[], value: [] as number[] };
  for (let round = 0; round < 5; round++) {
    rounds.sleep.push(
      await timeIt(N_TIMER, async () => {
        for (let i = 0; i < N_TIMER; i++) await sleep(0);
      }),
    );
    rounds.setTimeout.push(
      await timeIt(N_TIMER, async () => {
        for (let i = 0; i < N_TIMER; i++) await new Promise<void>((r) => setTimeout(r, 0));
      }),
    );
    rounds.ready.push(
      await timeIt(N_READY, async () => {
        for (let i = 0; i < N_READY; i++) await ready(i);
      }),
    );
    rounds.value.push(
      await timeIt(N_READY, async () => {
        for (let i = 0; i < N_READY; i++) await Promise.resolve(i);
      }),
    );
  }
  const s = median(rounds.sleep);
  const t = median(rounds.setTimeout);
  const r = median(rounds.ready);
  const v = median(rounds.value);
  console.log(`| await sleep(0), ${N_TIMER} in a row | ${(s / 1000).toFixed(1)} µs | setTimeout(0) promise ${(t / 1000).toFixed(1)} µs | ${(t / s).toFixed(2)}x |`);
  console.log(`| await ready(i), ${N_READY} in a row | ${r.toFixed(0)} ns | await Promise.resolve(i) ${v.toFixed(0)} ns | ${(v / r).toFixed(2)}x |`);
}

await main();
