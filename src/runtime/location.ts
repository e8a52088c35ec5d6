/**
 * Spawn locations: the first source line outside kyoto that led to a spawn, as the user wrote it.
 *
 * Capturing a stack costs a few microseconds, so it is done once per task body function (the
 * hoisted generator functions kyoto recommends are captured once, ever) and at most
 * {@link MAX_CAPTURES} times in all, so programs that spawn fresh closures do not pay it on every
 * spawn.
 *
 * Invariants (test/edge/location.test.ts):
 * - A location never points into kyoto's own files, whether V8 reports the compiled files
 *   (`dist/src/...js`) or, under `--enable-source-maps`, the sources (`src/...ts`).
 * - A location is the user's source line with and without `--enable-source-maps`: without it, a
 *   compiled file's position is mapped through its `.js.map` (read once per file, cached).
 * - No file is read on the spawn path, `spawnNamed` included: the map is read when a location
 *   is first read (test/core/spawn_named_meta.test.ts).
 * @module
 */
import type { SourceMap } from 'node:module';
import { builtin } from '../util/node_builtins.js';

const here = new URL('..', import.meta.url).pathname; // .../src/, dist/src/, or the bundle's dist/kyoto/
/** kyoto's sources as a source-mapped stack names them (dist/src/ or dist/kyoto/ -> src/). */
const hereMapped = here.replace(/\/dist\/(src|kyoto)\/$/, '/src/');

/** Distinct functions whose location is captured before capture stops. */
export const MAX_CAPTURES = 1_000;

/** Shared per body function: its name and where it was first spawned. */
export class TaskMeta {
  private mapped: boolean;
  constructor(
    readonly name: string,
    /** Where V8 placed the first spawn (compiled position until mapped), or ''. */
    private loc: string,
    mapped = false,
  ) {
    this.mapped = mapped || loc === '';
  }

  /**
   * `file:line:col` of the first spawn of this body in the user's source, or '' when not
   * captured. Mapped through source maps on first read (not at spawn: no file is read on the
   * spawn path, which also keeps simulated hosts free of real I/O).
   */
  get location(): string {
    if (!this.mapped) {
      this.mapped = true;
      this.loc = sourceLocation(this.loc);
    }
    return this.loc;
  }

  /** The last `renamed` result: a body spawned under the same name in a row shares one. */
  private lastRenamed: TaskMeta | null = null;

  /**
   * The same location under another name, still unmapped if this one is (no file is read).
   * Named spawns of one body under one name in a row (an HTTP server's `GET /` requests) share
   * one meta instead of allocating one per spawn.
   */
  renamed(name: string): TaskMeta {
    const last = this.lastRenamed;
    if (last !== null && last.name === name) return last;
    const m = new TaskMeta(name, this.loc, this.mapped);
    this.lastRenamed = m;
    return m;
  }
}

const byFn = new WeakMap<object, TaskMeta>();
const byName = new Map<string, TaskMeta>();
let captures = 0;
// One-entry cache: loops that spawn the same body skip the WeakMap.
let lastKey: object | null = null;
let lastMeta: TaskMeta | null = null;

/** Metadata for a task whose body is `body` (a function, or a future: keyed by its class). */
export function metaFor(body: object): TaskMeta {
  const key = typeof body === 'function' ? body : body.constructor;
  if (key === lastKey) return lastMeta!;
  let m = byFn.get(key);
  if (m === undefined) {
    const name = (key as { name?: string }).name || (typeof body === 'function' ? 'task' : 'future');
    if (captures < MAX_CAPTURES) {
      captures++;
      m = new TaskMeta(name, captureLocation());
      byFn.set(key, m);
    } else {
      // Capture budget spent (a program spawning fresh closures): one shared meta per name.
      m = byName.get(name);
      if (m === undefined) {
        m = new TaskMeta(name, '');
        byName.set(name, m);
      }
    }
  }
  lastKey = key;
  lastMeta = m;
  return m;
}

/** Metadata for `spawnNamed`: the body's meta with the given name. */
export function namedMeta(body: object, name: string): TaskMeta {
  const base = metaFor(body);
  return base.name === name ? base : base.renamed(name);
}

/** True for a path inside kyoto's own sources, compiled or source-mapped. */
export function isKyotoPath(path: string): boolean {
  return path.startsWith(here) || path.startsWith(hereMapped);
}

const FRAME_LOC = /\(?((?:file:\/\/|\/|node:)[^()\s]+:\d+:\d+)\)?\s*$/;

/**
 * The first stack frame outside kyoto's own sources, as `file:line:col` as V8 reports it (map it
 * with `sourceLocation`).
 */
export function captureLocation(): string {
  const holder: { stack?: string } = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 16;
  Error.captureStackTrace(holder, captureLocation);
  Error.stackTraceLimit = limit;
  return firstUserLocation(holder.stack ?? '');
}

/** The first frame of `stack` outside kyoto and Node (not yet source-mapped); '' if none. */
export function firstUserLocation(stack: string): string {
  const lines = stack.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const m = FRAME_LOC.exec(lines[i]!);
    if (m === null) continue;
    const loc = m[1]!;
    if (loc.startsWith('node:')) continue;
    const where = plainLocation(loc);
    if (isKyotoPath(where)) continue;
    return where;
  }
  return '';
}

/** `file:///a/b.js:3:4` -> `/a/b.js:3:4`; a plain path is returned as it is. */
export function plainLocation(loc: string): string {
  if (!loc.startsWith('file://')) return loc;
  const pos = /:(\d+):(\d+)$/.exec(loc);
  if (pos === null) return loc;
  try {
    return `${builtin('node:url').fileURLToPath(loc.slice(0, pos.index))}:${pos[1]}:${pos[2]}`;
  } catch {
    return loc;
  }
}

/** Per compiled file: its source map, or null when it has none (cached either way). */
const maps = new Map<string, SourceMap | null>();
/** Files whose map is cached at most (a program with more files keeps compiled positions). */
const MAX_MAPS = 256;

/**
 * Maps `/path/file.js:line:col` to the original source through the file's `.js.map`; returns
 * `loc` unchanged when the file has no map (already a source, or not compiled with maps).
 */
export function sourceLocation(loc: string): string {
  const pos = /^(.*):(\d+):(\d+)$/.exec(loc);
  if (pos === null) return loc;
  const file = pos[1]!;
  if (!file.endsWith('.js') && !file.endsWith('.mjs') && !file.endsWith('.cjs')) return loc;
  const map = mapOf(file);
  if (map === null) return loc;
  const e = map.findEntry(Number(pos[2]) - 1, Number(pos[3]) - 1) as {
    originalSource?: string;
    originalLine?: number;
    originalColumn?: number;
  };
  if (e.originalSource === undefined || e.originalLine === undefined || e.originalColumn === undefined) return loc;
  let src = e.originalSource;
  if (src.startsWith('file://')) src = builtin('node:url').fileURLToPath(src);
  else if (!src.startsWith('/')) {
    const { dirname, resolve } = builtin('node:path');
    src = resolve(dirname(file), src);
  }
  return `${src}:${e.originalLine + 1}:${e.originalColumn + 1}`;
}

function mapOf(file: string): SourceMap | null {
  const cached = maps.get(file);
  if (cached !== undefined) return cached;
  let map: SourceMap | null = null;
  try {
    const { readFileSync } = builtin('node:fs');
    const { fileURLToPath, pathToFileURL } = builtin('node:url');
    const text = readFileSync(file, 'utf8');
    const m = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(text);
    if (m !== null && !m[1]!.startsWith('data:')) {
      const mapUrl = new URL(m[1]!, pathToFileURL(file));
      const payload = JSON.parse(readFileSync(mapUrl, 'utf8')) as { sourceRoot?: string; sources: string[] };
      const root = new URL(payload.sourceRoot ?? '', mapUrl);
      payload.sources = payload.sources.map((s) => fileURLToPath(new URL(s, root)));
      delete payload.sourceRoot;
      map = new (builtin('node:module').SourceMap)(payload as ConstructorParameters<typeof SourceMap>[0]);
    }
  } catch {
    map = null;
  }
  if (maps.size < MAX_MAPS) maps.set(file, map);
  return map;
}
