/**
 * What importing a library costs before it does anything: wall time of a fresh `node` process
 * that imports it and exits, and its RSS after the import, each minus the same for bare `node`.
 * kyoto's root as published (`kyoto`, the bundle in dist/kyoto that the exports map names) beside
 * Effection, piscina and Effect for scale; also the unbundled tree (dist/src, what kyoto's own
 * tests import) and a one-line module, which is what any ES module import costs Node at all.
 *
 * Each figure is the median of RUNS fresh processes, run in turn (bare, kyoto, peers, bare, ...)
 * so that machine load affects all subjects alike.
 *
 * Run: npm run build && node dist/bench/import_cost.js [--runs N]
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median } from './util.js';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 15;
const UNBUNDLED = fileURLToPath(new URL('../src/index.js', import.meta.url));
const EMPTY = fileURLToPath(new URL('./empty_module.js', import.meta.url));

interface Subject {
  label: string;
  /** Module to import, or null for bare node. */
  spec: string | null;
}

const subjects: Subject[] = [
  { label: 'bare node', spec: null },
  { label: 'one-line module', spec: EMPTY },
  { label: 'kyoto', spec: 'kyoto' },
  { label: 'kyoto/http', spec: 'kyoto/http' },
  { label: 'kyoto, unbundled dist/src', spec: UNBUNDLED },
  { label: 'Effection', spec: 'effection' },
  { label: 'piscina', spec: 'piscina' },
  { label: 'Effect', spec: 'effect' },
];

/** One fresh process: prints its RSS after the import; we time the whole process. */
function once(spec: string | null): { ms: number; rss: number } {
  const code =
    spec === null
      ? 'process.stdout.write(String(process.memoryUsage().rss))'
      : `await import(${JSON.stringify(spec)}); process.stdout.write(String(process.memoryUsage().rss))`;
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    encoding: 'utf8',
  });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`import of ${spec ?? 'nothing'} failed: ${r.stderr}`);
  return { ms, rss: Number(r.stdout) };
}

const samples = new Map<string, { ms: number[]; rss: number[] }>();
for (const s of subjects) samples.set(s.label, { ms: [], rss: [] });
for (let i = 0; i < RUNS; i++) {
  for (const s of subjects) {
    const r = once(s.spec);
    const x = samples.get(s.label)!;
    x.ms.push(r.ms);
    x.rss.push(r.rss);
  }
}

const MiB = 1024 * 1024;
const bare = samples.get('bare node')!;
const bareMs = median(bare.ms);
const bareRss = median(bare.rss);
console.log(`import cost — ${new Date().toISOString()} — Node ${process.version}, ${RUNS} processes each, medians`);
console.log(`  bare node: ${bareMs.toFixed(1)} ms, ${(bareRss / MiB).toFixed(1)} MiB RSS`);
for (const s of subjects) {
  if (s.spec === null) continue;
  const x = samples.get(s.label)!;
  const ms = median(x.ms) - bareMs;
  const rss = (median(x.rss) - bareRss) / MiB;
  console.log(`  ${s.label.padEnd(26)} +${ms.toFixed(1)} ms  +${rss.toFixed(1)} MiB RSS`);
}
