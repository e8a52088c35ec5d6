import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';

test("the built package resolves as 'kyoto' through its exports map, with types", async () => {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    name: string;
    exports: { '.': { types: string; import: string } };
  };
  assert.equal(pkg.name, 'kyoto');
  const root = new URL('../../../', import.meta.url);
  assert.ok(existsSync(new URL(pkg.exports['.'].import, root)), 'entry point built');
  assert.ok(existsSync(new URL(pkg.exports['.'].types, root)), 'type declarations built');
  const mod = (await import('kyoto')) as Record<string, unknown>;
  for (const name of ['Future', 'Pending', 'Runtime', 'spawn', 'run', 'JoinError', 'yieldNow', 'fromPromise', 'toPromise']) {
    assert.ok(name in mod, `kyoto exports ${name}`);
  }
  const { run, yieldNow } = mod as typeof import('../../src/index.js');
  assert.equal(
    await run(function* () {
      yield* yieldNow();
      return 'self-import works';
    }),
    'self-import works',
  );
});
