import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Runtime, run, signal, ctrlC, SignalError } from '../../src/index.js';
import { delay } from './helpers.js';

test('signal(): arrivals are received (coalesced between recv calls); close gives null', async () => {
  const rt = new Runtime();
  await rt.blockOn(function* () {
    const usr2 = signal('SIGUSR2');
    assert.equal(rt.metrics()['ioOpenRegistrations'], 1, 'an open signal counts as a wake source');
    setTimeout(() => process.kill(process.pid, 'SIGUSR2'), 5);
    assert.equal(yield* usr2.recv(), 1);
    process.kill(process.pid, 'SIGUSR2');
    process.kill(process.pid, 'SIGUSR2');
    yield* delay(30);
    const n = yield* usr2.recv();
    assert.ok(n !== null && n >= 1 && n <= 2, `coalesced ${String(n)}`);
    usr2.close();
    assert.equal(yield* usr2.recv(), null);
    assert.equal(process.listenerCount('SIGUSR2'), 0);
    assert.ok((rt.metrics()['ioSignalsReceived'] as number) >= 2);
  });
  await rt.shutdown();
});

test('ctrlC() is ready at the next SIGINT and stops listening afterwards', async () => {
  await run(function* () {
    const before = process.listenerCount('SIGINT');
    setTimeout(() => process.kill(process.pid, 'SIGINT'), 5);
    yield* ctrlC();
    assert.equal(process.listenerCount('SIGINT'), before);
  });
});

test('bad signal names throw SignalError naming the value', () => {
  assert.throws(() => signal('SIGNOPE' as NodeJS.Signals), (e: unknown) => e instanceof SignalError && /SIGNOPE/.test((e as Error).message));
  assert.throws(() => signal('SIGKILL'), SignalError);
});
