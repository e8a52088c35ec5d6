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
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
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

/**
 * One fresh process that imports `spec`, says so and waits; meanwhile this process reads the
 * child's `/proc/PID/status` (VmRSS, and RssAnon: its private memory, as opposed to the pages of
 * the node binary that new code paths touch, which every node process shares), so the child runs
 * no code of its own beyond the import. Wall time is spawn to "ready".
 */
function once(spec: string | null): Promise<{ ms: number; rss: number; anon: number }> {
  const code = `${spec === null ? '' : `await import(${JSON.stringify(spec)});`} process.stdout.write('ready'); setInterval(() => {}, 1e6);`;
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    child.once('exit', (c) => reject(new Error(`import of ${spec ?? 'nothing'} failed (exit ${c}): ${err}`)));
    child.stdout.once('data', () => {
      const ms = performance.now() - t0;
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kib = (k: string): number => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN) * 1024;
      child.removeAllListeners('exit');
      child.kill();
      resolve({ ms, rss: kib('VmRSS'), anon: kib('RssAnon') });
    });
  });
}

const samples = new Map<string, { ms: number[]; rss: number[]; anon: number[] }>();
for (const s of subjects) samples.set(s.label, { ms: [], rss: [], anon: [] });
for (let i = 0; i < RUNS; i++) {
  for (const s of subjects) {
    const r = await once(s.spec);
    const x = samples.get(s.label)!;
    x.ms.push(r.ms);
    x.rss.push(r.rss);
    x.anon.push(r.anon);
  }
}

const MiB = 1024 * 1024;
const bare = samples.get('bare node')!;
const bareMs = median(bare.ms);
const bareRss = median(bare.rss);
const bareAnon = median(bare.anon);
console.log(`import cost — ${new Date().toISOString()} — Node ${process.version}, ${RUNS} processes each, medians`);
console.log(`  bare node: ${bareMs.toFixed(1)} ms, ${(bareRss / MiB).toFixed(1)} MiB RSS`);
for (const s of subjects) {
  if (s.spec === null) continue;
  const x = samples.get(s.label)!;
  const ms = median(x.ms) - bareMs;
  const rss = (median(x.rss) - bareRss) / MiB;
  const anon = (median(x.anon) - bareAnon) / MiB;
  console.log(`  ${s.label.padEnd(26)} +${ms.toFixed(1)} ms  +${rss.toFixed(2)} MiB RSS  (+${anon.toFixed(2)} MiB of it private)`);
}
