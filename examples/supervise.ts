/**
 * supervise: runs commands concurrently, each with a time limit, restarts one that fails or
 * times out (up to its restart budget), and on Ctrl-C kills every child — including what the
 * children started, since each runs in its own process group with `killOnDrop(true)`.
 *
 *   node dist/examples/supervise.js
 *
 * Killing needs no bookkeeping: each run holds its child with `using`, so when Ctrl-C aborts the
 * job tasks their `using` blocks end, the children are disposed and killOnDrop kills them; a
 * `timeout` drops `child.wait()`, which kills the child the same way.
 */
import { pathToFileURL } from 'node:url';
import { Elapsed, JoinSet, ctrlC, run, select, timeout, type Future } from '../src/index.js';
import { Command } from '../src/process/index.js';
import { stdout } from '../src/io/stdio.js';

/** One supervised command. */
export interface Job {
  name: string;
  /** Program and arguments. */
  argv: [string, ...string[]];
  /** Time limit of one run. */
  timeoutMs: number;
  /** Runs allowed after the first one fails. */
  restarts: number;
}

/** How a job ended. */
export interface JobResult {
  name: string;
  runs: number;
  ok: boolean;
}

function* log(line: string) {
  yield* stdout().writeAll(Buffer.from(`${line}\n`));
}

/** Runs `job` until a run succeeds or its restarts are spent. */
export function* superviseJob(job: Job) {
  for (let run = 1; ; run++) {
    using child = new Command(job.argv[0]).args(job.argv.slice(1)).killOnDrop(true).processGroup(true).stdout('inherit').spawn();
    yield* log(`started ${job.name} pid ${child.id} run ${run}`);
    let why: string;
    try {
      const st = yield* timeout(job.timeoutMs, child.wait());
      if (st.success) {
        yield* log(`done ${job.name} run ${run}`);
        return { name: job.name, runs: run, ok: true };
      }
      why = String(st);
    } catch (e) {
      if (!(e instanceof Elapsed)) throw e;
      why = `timed out after ${job.timeoutMs} ms`;
    }
    if (run > job.restarts) {
      yield* log(`gave up ${job.name}: ${why}`);
      return { name: job.name, runs: run, ok: false };
    }
    yield* log(`restarting ${job.name}: ${why}`);
  }
}

/** Supervises every job until all are finished or `stop` is ready (then kills them all). */
export function* supervise(jobs: Job[], stop: Future<void>) {
  const set = new JoinSet<JobResult>();
  for (const j of jobs) set.spawn(superviseJob, j);
  const results: JobResult[] = [];
  function* collect() {
    for (let r = yield* set.joinNext(); r !== undefined; r = yield* set.joinNext()) results.push(r);
  }
  const r = yield* select({ all: collect(), stop }, { biased: true });
  if (r.key === 'stop') {
    yield* log('stopping: killing every child');
    yield* set.shutdown();
  }
  return results;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const jobs: Job[] = [
    { name: 'ticker', argv: ['sh', '-c', 'while :; do sleep 1; done'], timeoutMs: 60_000, restarts: 0 },
    { name: 'flaky', argv: ['sh', '-c', 'sleep 0.2; exit $(( $$ % 2 ))'], timeoutMs: 5_000, restarts: 5 },
    { name: 'slow', argv: ['sh', '-c', 'sleep 30 & wait'], timeoutMs: 1_000, restarts: 1 },
  ];
  const results = await run(function* () {
    return yield* supervise(jobs, ctrlC());
  });
  for (const r of results) console.log(`${r.name}: ${r.ok ? 'ok' : 'failed'} after ${r.runs} run(s)`);
}
