// Fault scenarios repeated under load: RST storms against a kyoto server, consumers of parallel
// results aborted halfway. Each round asserts nothing is lost and nothing is left behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Runtime, TcpListener, TcpStream, spawn, fromPromise, sleep, type Gen, type JoinHandle } from '../../src/index.js';
import { rawConnect, rawReadAll } from '../net/helpers.js';
import { add } from '../parallel/tasks.js';

const ROUNDS = 3;
const CLIENTS = 200;

function* echo(s: TcpStream): Gen<void> {
  try {
    for (let c = yield* s.readChunk(); c !== null; c = yield* s.readChunk()) yield* s.writeAll(c);
    yield* s.shutdown();
  } catch {
    // A reset peer ends this connection only.
  } finally {
    s.close();
  }
}

function* acceptLoop(l: TcpListener): Gen<void> {
  for (;;) {
    const [s] = yield* l.accept();
    spawn(echo, s);
  }
}

test(`RST storm: ${ROUNDS} rounds of ${CLIENTS} clients, half reset mid-stream; every other echo is whole and no task leaks`, { timeout: 120_000 }, async () => {
  const rt = new Runtime();
  try {
    await rt.blockOn(function* () {
      const l = yield* TcpListener.bind('127.0.0.1:0');
      const server = spawn(acceptLoop, l);
      const port = l.localAddr().port;
      const baseline = rt.metrics().numAliveTasks;
      for (let round = 0; round < ROUNDS; round++) {
        const jobs: Promise<string | null>[] = [];
        for (let i = 0; i < CLIENTS; i++) {
          const msg = `round ${round} client ${i} `.repeat(20);
          jobs.push(
            rawConnect(port).then(async (sock) => {
              sock.write(msg);
              if (i % 2 === 0) {
                sock.resetAndDestroy();
                return null;
              }
              sock.end();
              const got = (await rawReadAll(sock)).toString();
              assert.equal(got, msg, `client ${i} of round ${round} got its whole echo`);
              return got;
            }),
          );
        }
        const got = yield* fromPromise(Promise.all(jobs));
        assert.equal(got.filter((g) => g !== null).length, CLIENTS / 2);
        // Every connection task finishes: only the accept loop (and this task) stay alive.
        for (let i = 0; i < 400 && rt.metrics().numAliveTasks > baseline; i++) yield* sleep(5);
        assert.equal(rt.metrics().numAliveTasks, baseline, `round ${round}: connection tasks all finished`);
      }
      server.abort();
      l.close();
    });
  } finally {
    await rt.shutdown();
  }
});

test(`aborted consumers: ${ROUNDS} rounds; a consumer of 300 parallel results aborted halfway loses none of them`, { timeout: 120_000 }, async () => {
  const rt = new Runtime({ flavor: 'multi_thread', workers: 2 });
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const hs: JoinHandle<number>[] = [];
      for (let i = 0; i < 300; i++) hs.push(add.spawn(i, round));
      let seen = 0;
      const consumer = rt.spawn(function* (): Gen<void> {
        for (const h of hs) {
          yield* h;
          seen++;
        }
      });
      while (seen < 100 && !consumer.isFinished()) await new Promise((r) => setImmediate(r));
      consumer.abort();
      // Awaiting a handle is cancel safe: each one still delivers its value.
      const vs = await Promise.all(hs);
      assert.deepEqual(vs, hs.map((_, i) => i + round));
      assert.equal(rt.metrics().parallelTasksInFlight, 0);
    }
  } finally {
    await rt.shutdown();
  }
});
