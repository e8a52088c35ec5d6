/**
 * kyoto/sim figures, with a reference run beside each in the same process.
 *
 *   npm run bench:sim        (node --expose-gc dist/bench/sim.js)
 *
 * 1. Simulated polls per second: 8 tasks passing a token around a ring of mpsc channels, under
 *    `Sim` (one seeded choice per poll) and on a plain current-thread `Runtime` (the cost of
 *    simulating a poll).
 * 2. Seeds per second, in-process: explore of a 4-task Mutex counter under kyoto/sim, and the
 *    same property as async functions under fast-check's `fc.scheduler()` (the JavaScript peer:
 *    it reorders promise resolutions).
 * 3. Seeds per second for a 3-host scenario: examples/sim_kv.ts (leader + two followers,
 *    partitions and a leader crash per seed).
 * 4. Wall time of 10 minutes of virtual time: a kv host, a 250 ms ticker host and a client
 *    sending a request every 100 ms.
 */
import fc from 'fast-check';
import { Mutex, Runtime, interval, mpsc, sleep, spawn, yieldNow, type Gen } from '../src/index.js';
import { Sim, explore } from '../src/sim/index.js';
import { buildKv } from '../examples/sim_kv.js';
import { KvConn, kvHost } from '../test/sim/kv_app.js';
import { median } from './util.js';

const ROUNDS = Number(process.env['ROUNDS'] ?? 3);
const HOPS = Number(process.env['HOPS'] ?? 200_000);

function* hop(rx: mpsc.Receiver<number>, tx: mpsc.Sender<number>, done: { n: number }): Gen<void> {
  for (let v = yield* rx.recv(); v !== undefined; v = yield* rx.recv()) {
    if (v >= HOPS) {
      done.n = v;
      tx.close();
      return;
    }
    yield* tx.send(v + 1);
  }
  tx.close();
}

function* ring(): Gen<number> {
  const chans = Array.from({ length: 8 }, () => mpsc.channel<number>(1));
  const done = { n: 0 };
  const hs = chans.map((_, i) => spawn(hop, chans[i]![1], chans[(i + 1) % 8]![0], done));
  yield* chans[0]![0].send(0);
  for (const h of hs) yield* h;
  return done.n;
}

async function pollsPerSecond(): Promise<[number, number]> {
  const sims: number[] = [];
  const reals: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    let t0 = performance.now();
    const res = await new Sim({ seed: r }).client('ring', ring).run();
    sims.push(res.steps / ((performance.now() - t0) / 1000));
    const rt = new Runtime();
    t0 = performance.now();
    await rt.blockOn(ring);
    const ms = performance.now() - t0;
    const polls = rt.metrics().workerPollCount;
    reals.push(polls / (ms / 1000));
    await rt.shutdown();
  }
  return [median(sims), median(reals)];
}

function* locked(m: Mutex<{ n: number }>): Gen<void> {
  for (let i = 0; i < 3; i++) {
    using g = yield* m.lock();
    const v = g.value.n;
    yield* yieldNow();
    g.value.n = v + 1;
  }
}
function* counter(): Gen<void> {
  const m = new Mutex({ n: 0 });
  const hs = [0, 1, 2, 3].map(() => spawn(locked, m));
  for (const h of hs) yield* h;
  if (m.tryLock()!.value.n !== 12) throw new Error('lost update');
}

async function seedsPerSecondInProcess(): Promise<[number, number]> {
  const SEEDS = 500;
  const ks: number[] = [];
  const fs: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    let t0 = performance.now();
    await explore((seed) => new Sim({ seed }).client('t', counter).run(), { seeds: SEEDS, strategy: 'pct' });
    ks.push(SEEDS / ((performance.now() - t0) / 1000));
    t0 = performance.now();
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), async (s) => {
        let locked = false;
        const queue: (() => void)[] = [];
        const lock = async (): Promise<void> => {
          if (!locked) {
            locked = true;
            return;
          }
          await new Promise<void>((res) => queue.push(res));
        };
        const unlock = (): void => {
          const next = queue.shift();
          if (next !== undefined) next();
          else locked = false;
        };
        const state = { n: 0 };
        const worker = async (): Promise<void> => {
          for (let i = 0; i < 3; i++) {
            await lock();
            const v = state.n;
            await s.schedule(Promise.resolve());
            state.n = v + 1;
            unlock();
          }
        };
        const all = Promise.all([worker(), worker(), worker(), worker()]);
        await s.waitFor(all);
        if (state.n !== 12) throw new Error('lost update');
      }),
      { numRuns: SEEDS },
    );
    fs.push(SEEDS / ((performance.now() - t0) / 1000));
  }
  return [median(ks), median(fs)];
}

async function seedsPerSecondHosts(): Promise<number> {
  const SEEDS = 200;
  const xs: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    await explore((seed) => buildKv('quorum', seed + r * SEEDS), { seeds: SEEDS });
    xs.push(SEEDS / ((performance.now() - t0) / 1000));
  }
  return median(xs);
}

function* ticker(): Gen<void> {
  const it = interval(250);
  for (;;) yield* it.tick();
}
function* steady(): Gen<void> {
  const c = yield* KvConn.open();
  for (let i = 0; i < 6000; i++) {
    yield* c.call(`SET t ${i}`);
    yield* sleep(100);
  }
  c.close();
}

async function tenMinutes(): Promise<[number, number, number]> {
  const ms: number[] = [];
  let steps = 0;
  let virtual = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    const res = await new Sim({ seed: r, latencyMs: [1, 3] }).host('kv', kvHost).host('clock', ticker).client('c', steady).run();
    ms.push(performance.now() - t0);
    steps = res.steps;
    virtual = res.elapsedMs;
  }
  return [median(ms), steps, virtual];
}

const [simPolls, realPolls] = await pollsPerSecond();
console.log(`simulated polls/s (8-task mpsc ring): ${(simPolls / 1e6).toFixed(2)} M/s; plain Runtime ${(realPolls / 1e6).toFixed(2)} M/s (sim costs ${(realPolls / simPolls).toFixed(1)}x per poll)`);
const [kSeeds, fSeeds] = await seedsPerSecondInProcess();
console.log(`in-process seeds/s (4-task Mutex counter, 500 seeds): kyoto/sim pct ${kSeeds.toFixed(0)}/s; fast-check scheduler ${fSeeds.toFixed(0)}/s (${(kSeeds / fSeeds).toFixed(2)}x)`);
const hostSeeds = await seedsPerSecondHosts();
console.log(`3-host seeds/s (examples/sim_kv.ts quorum, partitions + crash): ${hostSeeds.toFixed(0)}/s`);
const [wall, steps, virtual] = await tenMinutes();
console.log(`10 min of virtual time (kv host, ticker host, client every 100 ms): ${wall.toFixed(0)} ms wall, ${steps} polls, ${(virtual / 1000).toFixed(0)} s virtual (${(virtual / wall).toFixed(0)}x real time)`);
