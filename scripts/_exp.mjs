import { build } from 'esbuild';
const [name, ...mods] = process.argv.slice(2);
const D = '/work/wt/imp/dist/src/';
const b = { name: 'b', setup(b) {
  b.onResolve({ filter: /^node:/ }, (a) => ({ path: a.path, namespace: 'nb' }));
  b.onLoad({ filter: /.*/, namespace: 'nb' }, (a) => ({ contents: `module.exports = process.getBuiltinModule(${JSON.stringify(a.path)});`, loader: 'js' }));
  b.onResolve({ filter: /^entry$/ }, () => ({ path: 'entry', namespace: 'e' }));
  b.onLoad({ filter: /.*/, namespace: 'e' }, () => ({ contents: mods.map((m) => `export * from ${JSON.stringify(D + m)};`).join('\n'), loader: 'js', resolveDir: D }));
}};
await build({ entryPoints: [{ in: 'entry', out: name }], outdir: '/tmp/exp', bundle: true, splitting: true, format: 'esm', platform: 'node', minifyWhitespace: true, minifySyntax: true, plugins: [b], logLevel: 'error' });
