import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { main as fetchAllMain } from '../../examples/fetch_all.js';
import { main as cancelSafetyMain } from '../../examples/cancel_safety.js';
import { main as timeoutMain } from '../../examples/timeout_slow_task.js';

test('examples/fetch_all: every body in completion order; leaving early aborts the other requests', async () => {
  const r = await fetchAllMain();
  assert.deepEqual(r.all, ['page 0', 'page 100', 'page 200', 'page 300']);
  assert.deepEqual(r.first, ['page 0']);
  assert.equal(r.abortedRequests, 2);
});

test('examples/cancel_safety: aborted mid-write the ledger is inconsistent; with shield it is not', async () => {
  const { buggy, fixed } = await cancelSafetyMain();
  assert.ok(buggy.cancelled && fixed.cancelled);
  assert.ok(buggy.count > 0 && fixed.count > 0, 'both writers wrote something');
  assert.equal(buggy.count, buggy.entries + 1, 'the bug: a counter bump without its entry');
  assert.equal(fixed.count, fixed.entries, 'the fix: the abort waited for the write');
});

test('examples/timeout_slow_task: fast work answers; slow work is timed out and its cleanup ran', async () => {
  const r = await timeoutMain();
  assert.deepEqual(r.results, [
    'answer after 5 ms',
    'timed out after 20 ms',
    'answer after 5 ms',
    'task timed out after 20 ms and was cancelled',
  ]);
  assert.deepEqual(r.log, ['slowTask(5) ended', 'slowTask(500) ended', 'slowTask(5) ended', 'slowTask(500) ended']);
});

test('the examples run as scripts', async () => {
  for (const name of ['fetch_all', 'cancel_safety', 'timeout_slow_task']) {
    const file = fileURLToPath(new URL(`../../examples/${name}.js`, import.meta.url));
    const out = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, [file], { timeout: 20_000 }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
    });
    assert.ok(out.length > 0, `${name} printed its results`);
  }
});
