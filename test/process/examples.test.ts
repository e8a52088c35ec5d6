import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nfs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { BufReader, pending, run } from '../../src/index.js';
import { Command } from '../../src/process/index.js';
import { supervise, type Job } from '../../examples/supervise.js';
import { tempDir } from '../fs/tmp.js';
import { groupGone, pidGone } from './helpers.js';

const examples = fileURLToPath(new URL('../../examples/', import.meta.url));
const dir = tempDir('examples');

test('grep prints the matching lines of a large file with their numbers', async () => {
  const p = join(dir, 'big.log');
  const lines = Array.from({ length: 50_000 }, (_, i) => (i % 1000 === 7 ? `ERROR at ${i}` : `ok ${i}`));
  nfs.writeFileSync(p, lines.join('\n') + '\n');
  await run(function* () {
    const out = yield* new Command(process.execPath).args([join(examples, 'grep.js'), '^ERROR', p]).output();
    assert.equal(out.status.code, 0, out.stderr.toString());
    const got = out.stdout.toString().trimEnd().split('\n');
    assert.equal(got.length, 50);
    assert.equal(got[0], '8:ERROR at 7');
    assert.equal(got[49], '49008:ERROR at 49007');
    const none = yield* new Command(process.execPath).args([join(examples, 'grep.js'), 'nothing-like-this', p]).output();
    assert.equal(none.status.code, 1);
    const missing = yield* new Command(process.execPath).args([join(examples, 'grep.js'), 'x', join(dir, 'missing')]).output();
    assert.equal(missing.status.code, 2);
    assert.match(missing.stderr.toString(), /grep: open .*missing failed: ENOENT/);
  });
});

test('supervise restarts a failing job, gives up after the budget, and kills a run that times out', async () => {
  const marker = join(dir, 'flaky-ran-once');
  const jobs: Job[] = [
    { name: 'fine', argv: ['true'], timeoutMs: 10_000, restarts: 0 },
    { name: 'flaky', argv: ['sh', '-c', `if [ -e ${marker} ]; then exit 0; else touch ${marker}; exit 1; fi`], timeoutMs: 10_000, restarts: 3 },
    { name: 'hangs', argv: ['sleep', '100'], timeoutMs: 50, restarts: 1 },
  ];
  const results = await run(function* () {
    return yield* supervise(jobs, pending());
  });
  const by = new Map(results.map((r) => [r.name, r] as const));
  assert.deepEqual(by.get('fine'), { name: 'fine', runs: 1, ok: true });
  assert.deepEqual(by.get('flaky'), { name: 'flaky', runs: 2, ok: true });
  assert.deepEqual(by.get('hangs'), { name: 'hangs', runs: 2, ok: false });
});

test('supervise: Ctrl-C kills every child and its process group', async () => {
  const pids: number[] = [];
  await run(function* () {
    const sup = new Command(process.execPath).arg(join(examples, 'supervise.js')).stdout('piped').spawn();
    const rd = new BufReader(sup.stdout!);
    const started = new Set<string>();
    for (let l = yield* rd.readLine(); l !== null && started.size < 3; l = started.size < 3 ? yield* rd.readLine() : null) {
      const m = /^started (\w+) pid (\d+)/.exec(l);
      if (m !== null) {
        started.add(m[1]!);
        pids.push(Number(m[2]));
      }
    }
    assert.equal(started.size, 3);
    sup.startKill('SIGINT');
    const st = yield* sup.wait();
    assert.equal(st.code, 0);
  });
  for (const pid of pids) {
    assert.equal(await pidGone(pid), true, `child ${pid} is gone`);
    assert.equal(await groupGone(pid), true, `process group ${pid} is gone`);
  }
});
