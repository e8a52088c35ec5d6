/**
 * kyoto fs/process benchmark: kyoto against the best plain-Node form of the same job, side by
 * side in one process run (forms alternate, best of `--rounds` runs each).
 *
 *   npm run bench:fs   (node --expose-gc dist/bench/fs.js [--rounds 3] [--mib 256] [--files 10000] [--entries 50000] [--procs 500])
 *
 * Rows:
 * - stream a 256 MiB file to another file: kyoto `File` + `copy` vs `fs.createReadStream().pipe()`
 *   and a `fs.promises` `FileHandle.read`/`write` loop (64 KiB, Node's stream chunk);
 * - 10,000 small files (1 KiB) read as text, 64 at a time: kyoto `readToString` vs
 *   `fs.promises.readFile(p, 'utf8')` with a 64-wide promise pool;
 * - list a directory of 50,000 entries: kyoto `readDir` vs `fs.promises.readdir` (withFileTypes)
 *   and `fs.promises.opendir` iterated;
 * - spawn and wait for 500 `true` processes, one after another: kyoto `Command.status()` vs
 *   `child_process.spawn` + a promise on 'exit'.
 * The ratio is best Node form time / kyoto time (> 1: kyoto is faster; the goal is >= 0.9).
 * Everything is created under a temp directory that is removed at the end.
 */
import * as nfs from 'node:fs';
import { spawn as nodeSpawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { copy, run, spawn } from '../src/index.js';
import { File, readDir, readToString } from '../src/fs/index.js';
import { Command } from '../src/process/index.js';

const argNum = (name: string, d: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : d;
};
const ROUNDS = argNum('rounds', 3);
const MIB = argNum('mib', 256);
const FILES = argNum('files', 10_000);
const ENTRIES = argNum('entries', 50_000);
const PROCS = argNum('procs', 500);
const WIDTH = 64;

const dir = nfs.mkdtempSync(join(tmpdir(), 'kyoto-bench-fs-'));
process.on('exit', () => nfs.rmSync(dir, { recursive: true, force: true }));

type Form = [name: string, fn: () => Promise<unknown>];
interface Result {
  row: string;
  times: Map<string, number>;
}

async function measure(row: string, forms: Form[]): Promise<Result> {
  const times = new Map<string, number>();
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, fn] of r % 2 === 0 ? forms : [...forms].reverse()) {
      (globalThis as { gc?: () => void }).gc?.();
      const t0 = performance.now();
      await fn();
      const ms = performance.now() - t0;
      times.set(name, Math.min(times.get(name) ?? Infinity, ms));
    }
  }
  return { row, times };
}

// --- 1. streaming a big file -------------------------------------------------------------
const big = join(dir, 'big.bin');
{
  const chunk = Buffer.alloc(1 << 20);
  for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 7) & 0xff;
  const fd = nfs.openSync(big, 'w');
  for (let i = 0; i < MIB; i++) nfs.writeSync(fd, chunk);
  nfs.closeSync(fd);
}
const out = join(dir, 'out.bin');

function kyotoCopy(): Promise<unknown> {
  return run(function* () {
    const r = yield* File.open(big);
    const w = yield* File.create(out);
    const n = yield* copy(r, w);
    yield* w.close();
    yield* r.close();
    if (n !== MIB << 20) throw new Error(`copied ${n}`);
  });
}
function nodePipe(): Promise<unknown> {
  return pipeline(nfs.createReadStream(big), nfs.createWriteStream(out));
}
async function nodeHandleLoop(): Promise<void> {
  const r = await nfs.promises.open(big, 'r');
  const w = await nfs.promises.open(out, 'w');
  const buf = Buffer.allocUnsafe(64 * 1024);
  for (;;) {
    const { bytesRead } = await r.read(buf, 0, buf.length, null);
    if (bytesRead === 0) break;
    await w.write(buf, 0, bytesRead);
  }
  await w.close();
  await r.close();
}

// --- 2. many small files -----------------------------------------------------------------
const small = join(dir, 'small');
nfs.mkdirSync(small);
const smallPaths: string[] = [];
for (let i = 0; i < FILES; i++) {
  const p = join(small, `f${i}.txt`);
  nfs.writeFileSync(p, `file ${i} `.repeat(100).slice(0, 1024));
  smallPaths.push(p);
}

function kyotoSmall(): Promise<unknown> {
  return run(function* () {
    let next = 0;
    let bytes = 0;
    function* worker() {
      while (next < smallPaths.length) bytes += (yield* readToString(smallPaths[next++]!)).length;
    }
    const hs = [];
    for (let i = 0; i < WIDTH; i++) hs.push(spawn(worker));
    for (const h of hs) yield* h;
    return bytes;
  });
}
async function nodeSmall(): Promise<unknown> {
  let next = 0;
  let bytes = 0;
  async function worker() {
    while (next < smallPaths.length) bytes += (await nfs.promises.readFile(smallPaths[next++]!, 'utf8')).length;
  }
  await Promise.all(Array.from({ length: WIDTH }, worker));
  return bytes;
}

// --- 3. a large directory ----------------------------------------------------------------
const wide = join(dir, 'wide');
nfs.mkdirSync(wide);
for (let i = 0; i < ENTRIES; i++) nfs.writeFileSync(join(wide, `entry-${i}`), '');

function kyotoReadDir(): Promise<unknown> {
  return run(function* () {
    const s = readDir(wide);
    let n = 0;
    let files = 0;
    for (let e = yield* s.next(); e !== undefined; e = yield* s.next()) {
      n++;
      if (e.isFile()) files++;
    }
    if (n !== ENTRIES || files !== ENTRIES) throw new Error(`listed ${n}`);
  });
}
async function nodeReaddir(): Promise<void> {
  const es = await nfs.promises.readdir(wide, { withFileTypes: true });
  let files = 0;
  for (const e of es) if (e.isFile()) files++;
  if (files !== ENTRIES) throw new Error('count');
}
async function nodeOpendir(): Promise<void> {
  const d = await nfs.promises.opendir(wide, { bufferSize: 512 });
  let files = 0;
  for await (const e of d) if (e.isFile()) files++;
  if (files !== ENTRIES) throw new Error('count');
}

// --- 4. processes ------------------------------------------------------------------------
function kyotoProcs(): Promise<unknown> {
  return run(function* () {
    for (let i = 0; i < PROCS; i++) {
      const st = yield* new Command('true').stdin('null').stdout('null').stderr('null').status();
      if (!st.success) throw new Error('true failed');
    }
  });
}
async function nodeProcs(): Promise<void> {
  for (let i = 0; i < PROCS; i++) {
    const code = await new Promise<number | null>((resolve, reject) => {
      const c = nodeSpawn('true', { stdio: 'ignore' });
      c.on('error', reject);
      c.on('exit', resolve);
    });
    if (code !== 0) throw new Error('true failed');
  }
}

const results: Result[] = [];
results.push(await measure(`stream ${MIB} MiB file to file`, [['kyoto File + copy', kyotoCopy], ['createReadStream().pipe()', nodePipe], ['FileHandle read/write loop', nodeHandleLoop]]));
results.push(await measure(`${FILES} x 1 KiB readToString, ${WIDTH} at a time`, [['kyoto readToString', kyotoSmall], ['fs.promises.readFile pool', nodeSmall]]));
results.push(await measure(`readDir of ${ENTRIES} entries`, [['kyoto readDir', kyotoReadDir], ['fs.promises.readdir', nodeReaddir], ['fs.promises.opendir', nodeOpendir]]));
results.push(await measure(`spawn + wait ${PROCS} x true`, [['kyoto Command.status()', kyotoProcs], ['child_process.spawn + exit promise', nodeProcs]]));

console.log(`kyoto fs bench: best of ${ROUNDS} rounds, node ${process.version}`);
console.log('| row | form | best ms | best Node / kyoto |');
console.log('|---|---|---|---|');
for (const r of results) {
  const entries = [...r.times];
  const kyoto = entries[0]![1];
  const bestNode = Math.min(...entries.slice(1).map(([, t]) => t));
  for (const [name, t] of entries) {
    const ratio = name === entries[0]![0] ? `${(bestNode / kyoto).toFixed(2)}x` : '';
    console.log(`| ${r.row} | ${name} | ${t.toFixed(1)} | ${ratio} |`);
  }
}
