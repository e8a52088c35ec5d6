import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Runtime, RuntimeOptionsError } from '../../src/index.js';

test('option typos are RuntimeOptionsErrors at construction', () => {
  const bad: [unknown, RegExp][] = [
    [{ flavor: 'multi-thread' }, /flavor must be 'current_thread' or 'multi_thread', got "multi-thread".*did you mean 'multi_thread'/],
    [{ flavor: 'fast' }, /flavor must be/],
    [{ maxBlockingThreads: 0 }, /maxBlockingThreads must be an integer >= 1, got 0/],
    [{ workers: 1.5 }, /workers must be an integer >= 1/],
    [{ console: { host: 'not an address' } }, /console.host must be an IP address or 'localhost'/],
    [{ console: { host: '127.0.0.1:6669' } }, /console.host must be an IP address/],
    [{ console: { port: 70000 } }, /console.port must be an integer in \[0, 65535\]/],
    [{ console: 'yes' }, /console must be true, false or \{ port, host \}/],
    [{ startPaused: 'true' }, /startPaused must be a boolean/],
    [{ name: 3 }, /name must be a string/],
  ];
  for (const [opts, re] of bad) {
    assert.throws(() => new Runtime(opts as never), (e: unknown) => e instanceof RuntimeOptionsError && re.test((e as Error).message), JSON.stringify(opts));
  }
});

test('valid options construct a runtime', async () => {
  for (const opts of [{}, { flavor: 'current_thread' as const }, { maxBlockingThreads: 2 }, { name: 'x', startPaused: false }]) {
    const rt = new Runtime(opts);
    await rt.shutdown();
  }
});
