import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Runtime, sleep, startConsole, timeout, type Gen, type Lint } from '../../src/index.js';
import { unpolledSampling } from '../../src/console/unpolled.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const source = fileURLToPath(new URL('../../../test/edge/unpolled_lint.test.ts', import.meta.url));
const line = (marker: string) => readFileSync(source, 'utf8').split('\n').findIndex((l) => l.includes(marker) && !l.includes('line(')) + 1;

function* forgetful(): Gen<void> {
  sleep(200); // @forgot-yield
  yield* sleep(1);
  yield* timeout(50, sleep(1)); // kyoto's own Sleep inside the timeout is not watched
  const dropped = sleep(5);
  dropped.drop(); // dropped on purpose: not reported
}

async function collect(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('console lint: a future created in a task and dropped without being polled is reported with its line', async () => {
  const rt = new Runtime({ onUnhandledTaskError: () => {} });
  startConsole(rt, { port: 0 });
  const every = unpolledSampling.every;
  unpolledSampling.every = 1; // watch every future (the console samples one in 32)
  try {
    await rt.blockOn(forgetful);
    await collect();
    const found = rt.lints().filter((l: Lint) => l.kind === 'unpolled-future');
    assert.equal(found.length, 1, JSON.stringify(found, null, 1));
    const l = found[0]!;
    assert.equal(l.location, `${source}:${line('@forgot-yield')}:3`);
    assert.equal(l.taskName, 'forgetful');
    assert.match(l.message, /a Sleep created at .* in task forgetful \(id \d+\) was dropped without ever being polled: a missing yield\*/);
  } finally {
    unpolledSampling.every = every;
    await rt.shutdown();
  }
});

test('without a console nothing is watched', async () => {
  const rt = new Runtime();
  await rt.blockOn(forgetful);
  await collect();
  await rt.shutdown();
  const { futureHooks } = await import('../../src/future/future.js');
  assert.equal(futureHooks.created, null);
});
