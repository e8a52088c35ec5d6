/**
 * Bundles the compiled package (`dist/src`, from `tsc`) into `dist/kyoto`, the files the package's
 * `exports` map points at.
 *
 * Why: Node keeps roughly 45 KiB of RSS per loaded ES module, and the root `kyoto` is about 160
 * modules, so importing the unbundled tree costs ~16 MiB before any task runs. One graph bundled
 * with code splitting costs a fraction of that, and every subpath entry (`kyoto/http`, `kyoto/fs`,
 * ...) shares the chunks of the core with the root, so there is still exactly one runtime state per
 * thread, whichever entry a user imports first. The worker-thread entries are entries of the same
 * graph for the same reason: a task module that a worker imports as `kyoto` must see the registry
 * the worker's own loop reads.
 *
 * Names are kept (whitespace and syntax are minified, identifiers are not) so stack traces, class
 * names and `JoinError` messages read as in the sources; source maps chain to `src/*.ts`.
 *
 * `new URL('./x.js', import.meta.url)` in a module is rewritten to the same file relative to the
 * bundle's root, because the module no longer sits in its source folder once bundled; the files
 * it names (the worker entries) are emitted at their source paths under `dist/kyoto`.
 *
 * Run by `npm run build` after `tsc`; test/core/bundle.test.ts checks its output.
 */
import { build } from 'esbuild';
import { readFile, rm } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = resolve(root, 'dist/src');
const out = resolve(root, 'dist/kyoto');

await rm(out, { recursive: true, force: true }); // no stale chunks from an earlier build

/**
 * Every entry, each at the bundle's root (so module-relative URLs have one base to be rewritten
 * against): the public entries of the exports map, the worker-thread entries, and the modules the
 * core loads on first use with `loadLazily` (src/util/lazy.ts). A lazy module is an entry of its
 * own so its code is not in the chunk every `import 'kyoto'` reads; it still shares the core
 * chunk, so it sees the same runtime state.
 */
const ENTRIES = {
  'index.js': 'index',
  'http/index.js': 'http',
  'fs/index.js': 'fs',
  'process/index.js': 'process',
  'io/index.js': 'io',
  'sim/index.js': 'sim',
  'runtime/scheduler/multi_thread/worker_main.js': 'worker_main',
  'runtime/blocking/blocking_worker.js': 'blocking_worker',
  'runtime/scheduler/multi_thread/pool.js': 'multi_thread_pool',
};
const LAZY = ['runtime/scheduler/multi_thread/pool.js'];
/** Targets of a dynamic `import()` in the core (their own chunk, loaded when first used). */
const DYNAMIC = ['console/server.js'];
const entryPoints = Object.entries(ENTRIES).map(([i, o]) => ({ in: i, out: o }));

/** `file` (absolute, under dist/src) as a '/'-separated path relative to dist/src. */
const srcRel = (file) => relative(src, file).split(sep).join('/');
/** The root entry's module, as an import specifier. */
const rootIndex = JSON.stringify(resolve(src, 'index.js'));

/** `new URL(rel, import.meta.url)` in dist/src/`from`: the same target, relative to the bundle root. */
function fromRoot(file, rel) {
  const target = srcRel(resolve(dirname(file), rel));
  if (target === '') return './';
  const out = ENTRIES[target];
  if (out === undefined) throw new Error(`${file}: ${rel} names ${target}, which is not an entry of the bundle`);
  return `./${out}.js`;
}

/**
 * Every entry but the root also imports the root, so every core module is reachable from every
 * entry and esbuild puts the whole core in one shared chunk: importing `kyoto` loads two files,
 * not one per combination of entries (each loaded ES module costs Node ~70 KiB of RSS).
 */
const virtual = 'kyoto-entry:';
const entryFiles = entryPoints.map((e) => ({ in: virtual + e.in, out: e.out }));
const joinRoot = {
  name: 'entries-join-the-root',
  setup(b) {
    b.onResolve({ filter: /^kyoto-entry:/ }, (args) => ({ path: args.path.slice(virtual.length), namespace: 'kyoto-entry' }));
    b.onLoad({ filter: /.*/, namespace: 'kyoto-entry' }, (args) => {
      const file = JSON.stringify(resolve(src, args.path));
      const contents = args.path === 'index.js' ? `export * from ${file};` : `import ${rootIndex};\nexport * from ${file};`;
      return { contents, loader: 'js', resolveDir: src };
    });
  },
};

const LAZY_RE = /\bloadLazily\(import\.meta\.url, (['"])([^'"]+)\1\)/g;
const URL_RE = /new URL\((['"])(\.{1,2}\/?[^'"]*)\1, import\.meta\.url\)/g;

/**
 * Rewrites module-relative URLs, and the targets of `loadLazily(import.meta.url, './x.js')`
 * (src/util/lazy.ts), to bundle-root-relative ones.
 */
const relocateUrls = {
  name: 'relocate-import-meta-urls',
  setup(b) {
    b.onLoad({ filter: /\.js$/ }, async (args) => {
      let text = await readFile(args.path, 'utf8');
      // A dynamically imported module joins the root too (see joinRoot), or the modules it shares
      // with the root would form a second core chunk.
      if (DYNAMIC.includes(srcRel(args.path))) text += `\nimport ${rootIndex};\n`;
      else if (!text.includes('import.meta.url') || args.path === resolve(src, 'util/lazy.js')) return undefined;
      const contents = text
        .replace(LAZY_RE, (whole, q, rel) => {
          const target = srcRel(resolve(dirname(args.path), rel));
          if (!LAZY.includes(target)) throw new Error(`${args.path}: loadLazily target ${target} is not listed in LAZY`);
          return `loadLazily(import.meta.url, ${q}${fromRoot(args.path, rel)}${q})`;
        })
        .replace(URL_RE, (whole, q, rel) => `new URL(${q}${fromRoot(args.path, rel)}${q}, import.meta.url)`);
      return { contents, loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

/**
 * `import { Socket } from 'node:net'` makes Node build an ES module facade over the builtin, which
 * costs 0.3 to 1 MiB of RSS per builtin (measured: `node:fs` +1.0 MiB, `node:net` +0.7 MiB) even
 * when the builtin itself is already loaded. `process.getBuiltinModule` (Node >= 20.16) returns the
 * same object with no facade, so the bundle reads builtins through it.
 */
const builtinsWithoutFacades = {
  name: 'builtins-without-esm-facades',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path, namespace: 'node-builtin' }));
    b.onLoad({ filter: /.*/, namespace: 'node-builtin' }, (args) => ({
      contents: `module.exports = process.getBuiltinModule(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

await build({
  entryPoints: entryFiles,
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: 'linked',
  chunkNames: 'chunk-[hash]',
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [joinRoot, builtinsWithoutFacades, relocateUrls],
});
