import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn as spawnChild } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { run, runWith, type Gen } from '../../src/index.js';

const script = fileURLToPath(new URL('./run_child.js', import.meta.url));

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
}

/**
 * Starts the child program, sends the first of `signals` once it printed "ready" and the second
 * once it printed "unwinding" (so the two are not merged into one delivery), and collects the
 * outcome.
 */
function runChild(args: string[], signals: NodeJS.Signals[]): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawnChild(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    let sent = 0;
    const marks = ['ready\n', 'unwinding\n'];
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      while (sent < signals.length && out.includes(marks[sent]!)) child.kill(signals[sent++]!);
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code, signal, out }));
  });
}

test('run(): SIGINT aborts main, every finally runs (async ones too), the process exits 130', async () => {
  const r = await runChild([], ['SIGINT']);
  assert.equal(r.code, 130, `exit ${r.code} ${r.signal}: ${r.out}`);
  assert.match(r.out, /main finally ran/);
  assert.match(r.out, /child finally ran/);
  assert.doesNotMatch(r.out, /not reached/);
});

test('run(): SIGTERM exits 143 after the finally blocks', async () => {
  const r = await runChild([], ['SIGTERM']);
  assert.equal(r.code, 143);
  assert.match(r.out, /main finally ran/);
});

test('run(): a second signal exits at once, even while a finally is still waiting', async () => {
  const r = await runChild(['stuck'], ['SIGINT', 'SIGINT']);
  assert.equal(r.code, 130);
  assert.doesNotMatch(r.out, /main finally ran/);
});

test('run(..., { handleSignals: false }) installs nothing: SIGINT kills the process as Node does', async () => {
  const r = await runChild(['nosignals'], ['SIGINT']);
  assert.equal(r.signal, 'SIGINT');
  assert.doesNotMatch(r.out, /finally ran/);
});

test('runWith passes typed arguments to main; run() leaves no signal handler behind', async () => {
  const before = process.listenerCount('SIGINT');
  function* main(a: number, b: string): Gen<string> {
    return `${b}${a * 2}`;
  }
  assert.equal(await runWith({}, main, 21, 'n='), 'n=42');
  assert.equal(await run(function* () { return 1; }), 1);
  assert.equal(process.listenerCount('SIGINT'), before);
  assert.throws(() => runWith(null as never, main, 1, 'x'), /opts must be an object/);
});
