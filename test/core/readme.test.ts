import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readmeFirstProgram } from '../../examples/readme_first.js';

test("the README's first program runs: JoinSet in completion order, timeout fires", async () => {
  const out = await readmeFirstProgram();
  assert.deepEqual(out.users.map((u) => u.id), [1, 2, 3]);
  assert.equal(out.timedOut, true);
});
