// Importing the core loads no Node builtin it does not use (src/util/node_builtins.ts); the
// real clock still reads Node's own performance.now when its first read happens inside a
// simulation (src/runtime/clock.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

const root = new URL('../../../', import.meta.url);
const bundledRoot = new URL('dist/kyoto/index.js', root).href;
const compiled = (path: string): string => new URL(`dist/src/${path}`, root).href;

/** Runs `code` as an ES module in a fresh node; returns its stdout. */
function run(code: string): string {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, `script failed: ${r.stderr}`);
  return r.stdout;
}

/** The builtins `import(spec)` loads in a fresh process, beyond what any file import loads. */
function builtinsLoadedBy(spec: string): string[] {
  const out = run(`
    const before = new Set(process.moduleLoadList);
    await import(${JSON.stringify(spec)});
    const loaded = process.moduleLoadList.filter((m) => !before.has(m)); // before process.stdout, a socket
    process.stdout.write(JSON.stringify(loaded));
  `);
  return JSON.parse(out) as string[];
}

const UNUSED = ['NativeModule net', 'NativeModule dgram', 'NativeModule worker_threads', 'NativeModule os', 'NativeModule stream', 'NativeModule perf_hooks'];

for (const [what, spec] of [
  ['the published root', bundledRoot],
  ['the compiled root', compiled('index.js')],
] as const) {
  test(`importing ${what} loads none of node:net, dgram, worker_threads, os, stream or perf_hooks`, () => {
    const loaded = builtinsLoadedBy(spec);
    assert.ok(loaded.length > 0, 'the probe sees the loader at work');
    for (const m of UNUSED) assert.ok(!loaded.includes(m), `${what} loaded ${m}`);
  });
}

test('binding a listener loads node:net then', () => {
  const out = run(`
    const { Runtime, TcpListener } = await import(${JSON.stringify(compiled('index.js'))});
    const seen = (m) => process.moduleLoadList.includes(m);
    const before = seen('NativeModule net');
    const rt = new Runtime();
    await rt.blockOn(function* () {
      const l = yield* TcpListener.bind('127.0.0.1:0');
      l.close();
    });
    const after = seen('NativeModule net');
    process.stdout.write(JSON.stringify({ before, after }), () => process.exit(0));
  `);
  assert.deepEqual(JSON.parse(out), { before: false, after: true });
});

test('a real clock first read inside a simulation still reads Node time, not the virtual one', () => {
  const out = run(`
    const t0 = performance.now(); // loads perf_hooks; kyoto's clock has not been read yet
    const { Sim } = await import(${JSON.stringify(compiled('sim/index.js'))});
    const { sleep } = await import(${JSON.stringify(compiled('index.js'))});
    const { realClock } = await import(${JSON.stringify(compiled('runtime/clock.js'))});
    let inside = -1;
    let virtual = -1;
    function* body() {
      inside = realClock.now();
      virtual = performance.now();
      yield* sleep(5);
    }
    await new Sim({ seed: 1 }).client('c', body).run();
    process.stdout.write(JSON.stringify({ t0, inside, virtual, after: realClock.now(), node: performance.now() }));
  `);
  const r = JSON.parse(out) as { t0: number; inside: number; virtual: number; after: number; node: number };
  assert.ok(r.virtual < r.t0, `performance.now() was virtual inside the run (${r.virtual} against ${r.t0})`);
  assert.ok(r.inside >= r.t0, `the real clock read Node time inside the run (${r.inside} against ${r.t0})`);
  assert.ok(r.after >= r.inside && r.after <= r.node, `and after it (${r.after}, node ${r.node})`);
});
