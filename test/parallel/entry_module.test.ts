// A parallel task registered in the entry module fails fast with a clear error instead of
// re-running the program on every worker (it used to hang at 100 % CPU with no output).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

function runNode(script: string, timeoutMs: number): Promise<{ code: number | null; out: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [fileURLToPath(new URL(script, import.meta.url))], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    let timedOut = false;
    const t = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(t);
      resolve({ code, out, timedOut });
    });
  });
}

test('registering a parallel task in the entry module throws EntryModuleTaskError naming the module and the fix', async () => {
  const r = await runNode('./fixtures/entry_registers.js', 20_000);
  assert.equal(r.timedOut, false, `the program ended by itself; output:\n${r.out}`);
  assert.notEqual(r.code, 0);
  assert.match(r.out, /EntryModuleTaskError/);
  assert.match(r.out, /fixture\.double/);
  assert.match(r.out, /entry_registers\.js/);
  assert.match(r.out, /Move the parallel\(\.\.\.\) call into a module of its own/);
});

test('a task module that creates a runtime at import fails the task with a clear error, without hanging', async () => {
  const r = await runNode('./fixtures/imports_runtime_at_import.js', 20_000);
  assert.equal(r.timedOut, false, `the program ended by itself; output:\n${r.out}`);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /EntryModuleTaskError: a multi-thread runtime was created on a kyoto worker thread/);
});
