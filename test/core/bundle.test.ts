// The published bundle (dist/kyoto, built by scripts/bundle.mjs) against the compiled tree it is
// made from: same names, one runtime state across entries, workers, lazy loading, spawn locations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = new URL('../../../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
  exports: Record<string, { import: string; types: string }>;
};
const bundled = (entry: string): string => new URL(pkg.exports[entry]!.import, root).href;
const compiled = (entry: string): string =>
  new URL(pkg.exports[entry]!.types.replace(/\.d\.ts$/, '.js'), root).href;

/** Runs `code` (an ES module) in a fresh node from a temporary folder; returns stdout. */
function runScript(files: Record<string, string>, main: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kyoto-bundle-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const r = spawnSync(process.execPath, [join(dir, main)], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, `script failed: ${r.stderr}`);
    return r.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('every entry of the exports map points at a bundle exporting exactly the compiled names', async () => {
  for (const entry of Object.keys(pkg.exports)) {
    assert.match(pkg.exports[entry]!.import, /^\.\/dist\/kyoto\//, `${entry} is published from the bundle`);
    const b = Object.keys(await import(bundled(entry))).sort();
    const c = Object.keys(await import(compiled(entry))).sort();
    assert.deepEqual(b, c, `${entry}: the bundle and dist/src export the same names`);
  }
});

test('importing the root reads two files: its entry and the one core chunk', () => {
  const entry = fileURLToPath(bundled('.'));
  const text = readFileSync(entry, 'utf8');
  const statics = [...text.matchAll(/(?:^|[;}\s])(?:import|export)\b[^;]*?from\s*"([^"]+)"|(?:^|[;}\s])import\s*"([^"]+)"/g)].map((m) => m[1] ?? m[2]);
  assert.equal(new Set(statics).size, 1, `static imports of the root entry: ${statics.join(', ')}`);
});

test('the root and every subpath share one copy of the core (same classes, one runtime state)', async () => {
  const rootMod = (await import(bundled('.'))) as Record<string, unknown>;
  const rootSrc = (await import(compiled('.'))) as Record<string, unknown>;
  let shared = 0;
  for (const entry of Object.keys(pkg.exports)) {
    if (entry === '.') continue;
    const sub = (await import(bundled(entry))) as Record<string, unknown>;
    const subSrc = (await import(compiled(entry))) as Record<string, unknown>;
    for (const [name, v] of Object.entries(sub)) {
      // Where the compiled subpath re-exports the root's own object, the bundle must too.
      if (name in rootSrc && subSrc[name] === rootSrc[name]) {
        assert.equal(v, rootMod[name], `${entry} re-exports the root's own ${name}`);
        shared++;
      }
    }
  }
  assert.ok(shared > 0, 'some names are exported by both the root and a subpath');
  // A subpath's futures run on the root's runtime: kyoto/io's read over an in-memory reader.
  const out = runScript(
    {
      'main.mjs': `
        import { run, spawn, sleep } from ${JSON.stringify(bundled('.'))};
        import { readToEnd } from ${JSON.stringify(bundled('./io'))};
        const chunks = [Buffer.from('bun'), Buffer.from('dled')];
        const reader = { pollRead(cx, buf) { const c = chunks.shift(); if (!c) return 0; buf.set(c); return c.length; } };
        function* main() {
          const h = spawn(function* () { yield* sleep(1); return 'slept'; });
          const bytes = yield* readToEnd(reader);
          return Buffer.from(bytes).toString() + ' ' + (yield* h);
        }
        console.log(await run(main));
      `,
    },
    'main.mjs',
  );
  assert.equal(out.trim(), 'bundled slept');
});

test('a multi-thread runtime and spawnBlocking work from the bundle (worker entries, lazily loaded pool)', () => {
  const out = runScript(
    {
      'tasks.mjs': `
        import { parallel } from ${JSON.stringify(bundled('.'))};
        export const square = parallel(import.meta.url, 'bundle.square', (n) => n * n);
      `,
      'main.mjs': `
        import { Runtime, spawnBlocking } from ${JSON.stringify(bundled('.'))};
        import { square } from './tasks.mjs';
        const rt = new Runtime({ flavor: 'multi_thread', workers: 2 });
        const out = await rt.blockOn(function* () {
          const a = square.spawn(7);
          const b = spawnBlocking(square, 5);
          return [yield* a, yield* b];
        });
        await rt.shutdown();
        console.log(JSON.stringify(out));
      `,
    },
    'main.mjs',
  );
  assert.deepEqual(JSON.parse(out), [49, 25]);
});

test('spawn locations and await chains from the bundle are the user file lines, with and without source maps', () => {
  const script = [
    `import { Runtime, pending, setAwaitTracing } from ${JSON.stringify(bundled('.'))};`,
    'function* waitsForever() {',
    '  yield* pending();',
    '}',
    'const rt = new Runtime();',
    'setAwaitTracing(true);',
    'rt.spawn(waitsForever);',
    'await new Promise((r) => setTimeout(r, 5));',
    "console.log(JSON.stringify({ location: rt.tasks()[0]?.location ?? '', dump: rt.dump() }));",
    'process.exit(0);',
  ].join('\n');
  const dir = mkdtempSync(join(tmpdir(), 'kyoto-bundle-'));
  try {
    const file = join(dir, 'where.mjs');
    writeFileSync(file, script);
    for (const flags of [[], ['--enable-source-maps']]) {
      const r = spawnSync(process.execPath, [...flags, file], { encoding: 'utf8', timeout: 60_000 });
      assert.equal(r.status, 0, r.stderr);
      const { location, dump } = JSON.parse(r.stdout) as { location: string; dump: string };
      assert.equal(location, `${file}:7:4`, `${flags.join(' ') || 'no flags'}: spawn location`);
      assert.ok(dump.includes(`at waitsForever ${file}:3:`), `${flags.join(' ') || 'no flags'}: await chain in\n${dump}`);
      assert.doesNotMatch(dump, /dist\/kyoto|src\/runtime\//, 'the dump lists kyoto frames');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
