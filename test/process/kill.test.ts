import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Elapsed, run, spawn, sleep, timeout, yieldNow, type Future } from '../../src/index.js';
import { Command, type Child } from '../../src/process/index.js';
import { isZombie, pidExists, pidGone, zombieChildren } from './helpers.js';

// Debian's dash forks a -c command instead of exec'ing it: scripts whose pid must be the sleeping
// process say `exec`, or killing sh would leave the sleep running (holding the runner's stdout).
const sh = (script: string) => new Command('sh').args(['-c', script]);

function* expectElapsed(ms: number, fut: Future<unknown>) {
  try {
    yield* timeout(ms, fut);
  } catch (e) {
    assert.ok(e instanceof Elapsed, `expected Elapsed, got ${String(e)}`);
    return;
  }
  assert.fail('expected the timeout to elapse');
}

test('kill() sends SIGKILL and is ready once the child was reaped (pid gone, no zombie)', async () => {
  await run(function* () {
    const child = sh('exec sleep 100').spawn();
    const pid = child.id;
    assert.ok(pidExists(pid));
    yield* child.kill();
    assert.equal(pidExists(pid), false, 'reaped, not a zombie');
    assert.equal(child.tryWait()?.signal, 'SIGKILL');
    assert.equal(child.startKill(), false, 'already reaped');
  });
});

test('startKill(signal) sends that signal', async () => {
  await run(function* () {
    const child = sh('trap "exit 42" TERM; echo ready; while :; do sleep 0.01; done').stdout('piped').spawn();
    yield* child.stdout!.read(Buffer.alloc(16)); // the trap is installed
    assert.equal(child.startKill('SIGTERM'), true);
    assert.equal((yield* child.wait()).code, 42);
  });
});

test('killOnDrop: timeout(ms, child.wait()) ends the process', async () => {
  let pid = 0;
  await run(function* () {
    const child = sh('exec sleep 100').killOnDrop(true).spawn();
    pid = child.id;
    yield* expectElapsed(50, child.wait());
  });
  assert.ok(pid > 0);
  assert.equal(await pidGone(pid), true);
  assert.equal(isZombie(pid), false);
});

test('killOnDrop: an aborted task holding the child with `using` kills it', async () => {
  let pid = 0;
  await run(function* () {
    const h = spawn(function* () {
      using child = sh('exec sleep 100').killOnDrop(true).spawn();
      pid = child.id;
      yield* sleep(100_000);
    });
    while (pid === 0) yield* yieldNow();
    h.abort();
    try {
      yield* h;
    } catch {
      // cancelled
    }
  });
  assert.equal(await pidGone(pid), true);
});

test('killOnDrop with processGroup kills the whole group (grandchildren too)', async () => {
  let grandchild = 0;
  let child: Child | null = null;
  await run(function* () {
    const c = (child = sh('sleep 100 & echo $!; wait').processGroup(true).killOnDrop(true).stdout('piped').spawn());
    const buf = Buffer.alloc(64);
    const n = yield* c.stdout!.read(buf);
    grandchild = Number(buf.subarray(0, n).toString().trim());
    assert.ok(pidExists(grandchild));
    yield* expectElapsed(20, c.wait());
  });
  assert.ok(child !== null);
  assert.equal(await pidGone((child as Child).id), true);
  assert.equal(await pidGone(grandchild), true, 'the grandchild died with its group');
});

test('without killOnDrop a dropped wait leaves the child running (as in Tokio), and it is reaped later', async () => {
  let pid = 0;
  await run(function* () {
    const child = sh('sleep 0.2').spawn();
    pid = child.id;
    yield* expectElapsed(10, child.wait());
  });
  assert.equal(pidExists(pid), true);
  assert.equal(await pidGone(pid), true);
  assert.deepEqual(zombieChildren(), []);
});
