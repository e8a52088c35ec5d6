/**
 * A replicated kv store — a leader and two followers — explored under partitions and a leader
 * crash with kyoto/sim. The servers are ordinary kyoto code (TcpListener, TcpStream, timeout,
 * mpsc); only `exploreKv` at the bottom knows about the simulation.
 *
 *   leader  :6379  SET k v  -> OK once the write is safe (mode 'quorum': a follower acked it;
 *                              mode 'async': at once, replicating in the background — the bug)
 *   follower:7000  REPL k v -> ACK (from the leader)      :6379 GET k -> v or NIL
 *
 * The property checked: a write the leader acknowledged is never lost, even if the leader then
 * crashes — at the end some follower holds the last acknowledged value.
 *
 *   node dist/examples/sim_kv.js [async|quorum] [seeds]      (default async 200)
 */
import { pathToFileURL } from 'node:url';
import { BufReader, Elapsed, IoError, TcpListener, TcpStream, mpsc, sleep, spawn, timeout, type Gen } from '../src/index.js';
import { Rng, Sim, explore, type ExploreResult } from '../src/sim/index.js';

/** How the leader answers a SET. */
export type Mode = 'async' | 'quorum';
interface Job {
  readonly line: string;
  readonly ack: mpsc.UnboundedSender<true>;
}

function* serveLines(listener: TcpListener, handle: (line: string) => string | null): Gen<void> {
  for (;;) {
    const [s] = yield* listener.accept();
    spawn(function* lines(stream: TcpStream) {
      const rd = new BufReader(stream);
      try {
        for (let l = yield* rd.readLine(); l !== null; l = yield* rd.readLine()) {
          const reply = handle(l);
          if (reply !== null) yield* stream.writeAll(Buffer.from(`${reply}\n`));
        }
      } catch (e) {
        if (!(e instanceof IoError)) throw e;
      } finally {
        stream.close();
      }
    }, s);
  }
}

/** A follower: applies REPL lines from the leader (answering ACK) and serves GET. */
export function* follower(): Gen<void> {
  const store = new Map<string, string>();
  const repl = yield* TcpListener.bind('0.0.0.0:7000');
  const reads = yield* TcpListener.bind('0.0.0.0:6379');
  spawn(serveLines, reads, (l) => store.get(l.split(' ')[1] ?? '') ?? 'NIL');
  yield* serveLines(repl, (l) => {
    const [, k = '', v = ''] = l.split(' ');
    store.set(k, v);
    return 'ACK';
  });
}

/** The leader's replication to one follower: one line at a time, reconnecting after failures. */
function* replicate(addr: string, jobs: mpsc.Receiver<Job>): Gen<void> {
  let conn: { s: TcpStream; rd: BufReader } | null = null;
  for (let job = yield* jobs.recv(); job !== undefined; ) {
    try {
      if (conn === null) {
        const s = yield* timeout(100, TcpStream.connect(addr));
        conn = { s, rd: new BufReader(s) };
      }
      yield* conn.s.writeAll(Buffer.from(`${job.line}\n`));
      if ((yield* timeout(100, conn.rd.readLine())) !== 'ACK') throw new IoError('EPROTO', 'no ACK');
      job.ack.trySend(true);
      job = yield* jobs.recv();
    } catch (e) {
      if (!(e instanceof IoError || e instanceof Elapsed)) throw e;
      conn?.s.close();
      conn = null; // retry the same job on a new connection
      yield* sleep(20);
    }
  }
}

/** The leader: SETs are stored, replicated to both followers and answered according to `mode`. */
export function* leader(mode: Mode): Gen<void> {
  const store = new Map<string, string>();
  const queues = ['f1:7000', 'f2:7000'].map((addr) => {
    const [tx, rx] = mpsc.unbounded<Job>();
    spawn(replicate, addr, rx);
    return tx;
  });
  const listener = yield* TcpListener.bind('0.0.0.0:6379');
  for (;;) {
    const [s] = yield* listener.accept();
    spawn(function* session(stream: TcpStream) {
      const rd = new BufReader(stream);
      try {
        for (let l = yield* rd.readLine(); l !== null; l = yield* rd.readLine()) {
          const [, k = '', v = ''] = l.split(' ');
          store.set(k, v);
          const [ackTx, ackRx] = mpsc.unbounded<true>();
          for (const q of queues) q.send({ line: `REPL ${k} ${v}`, ack: ackTx.clone() });
          ackTx.close();
          let reply = 'OK';
          if (mode === 'quorum') {
            // Leader + one follower = a majority of three.
            try {
              reply = (yield* timeout(150, ackRx.recv())) === true ? 'OK' : 'ERR';
            } catch (e) {
              if (!(e instanceof Elapsed)) throw e;
              reply = 'ERR';
            }
          }
          yield* stream.writeAll(Buffer.from(`${reply}\n`));
        }
      } catch (e) {
        if (!(e instanceof IoError)) throw e;
      } finally {
        stream.close();
      }
    }, s);
  }
}

function* request(addr: string, line: string): Gen<string | null> {
  try {
    return yield* timeout(200, function* () {
      const s = yield* TcpStream.connect(addr);
      try {
        yield* s.writeAll(Buffer.from(`${line}\n`));
        return yield* new BufReader(s).readLine();
      } finally {
        s.close();
      }
    }());
  } catch (e) {
    if (e instanceof IoError || e instanceof Elapsed) return null;
    throw e;
  }
}

/** The client: five writes to the leader, then, once the faults are over, reads from followers. */
export function* app(): Gen<void> {
  let acked = 0;
  for (let i = 1; i <= 5; i++) {
    if ((yield* request('leader:6379', `SET x ${i}`)) === 'OK') acked = i;
    yield* sleep(30);
  }
  yield* sleep(2_000); // partitions repaired, replication settled
  let best = 0;
  for (const f of ['f1', 'f2']) best = Math.max(best, Number((yield* request(`${f}:6379`, 'GET x')) ?? 0) || 0);
  if (best < acked) throw new Error(`acknowledged write lost: the leader said OK to x=${acked}, followers have x=${best}`);
}

/** One simulated run: random partitions of the followers, then the leader crashes. */
export function buildKv(mode: Mode, seed: number): ReturnType<Sim['run']> {
  const sim = new Sim({ seed, latencyMs: [1, 10] });
  sim.host('leader', leader, mode).host('f1', follower).host('f2', follower).client('app', app);
  const faults = new Rng(seed ^ 0x5eed);
  for (const f of ['f1', 'f2']) {
    const from = faults.range(0, 200);
    sim.at(from, () => sim.partition('leader', f));
    sim.at(from + faults.range(50, 400), () => sim.repair('leader', f));
  }
  sim.at(faults.range(150, 450), () => sim.crash('leader'));
  return sim.run();
}

/** Explores `seeds` runs of `mode`; rejects with the SimError of the first lost write. */
export function exploreKv(mode: Mode, seeds: number): Promise<ExploreResult> {
  return explore((seed) => buildKv(mode, seed), { seeds });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const mode = (process.argv[2] ?? 'async') as Mode;
  try {
    const r = await exploreKv(mode, Number(process.argv[3] ?? 200));
    console.log(`${mode}: ${r.runs} seeds, ${r.distinctTraces} distinct schedules, no acknowledged write lost`);
  } catch (e) {
    console.log(String((e as Error).message));
    process.exitCode = 1;
  }
}
