// Lint for kyoto programs: typescript-eslint's no-floating-promises catches a kyoto future that is
// created and never awaited, the mistake `sleep(200);` (instead of `yield* sleep(200);`) makes.
// Futures are thenable, so the rule sees them. A JoinHandle may float: dropping one detaches a
// running task, as in Tokio.
//
// Users: copy this file (the `from: 'package'` entries are the ones that apply to you); it needs
// `npm install -D eslint typescript-eslint`. kyoto runs it on its own src/ and examples/ in
// `npm test` (the `from: 'file'` entries name kyoto's sources).
import tseslint from 'typescript-eslint';

const safeHandles = [
  { from: 'package', package: 'kyoto', name: ['JoinHandle', 'RemoteHandle'] },
  { from: 'file', path: 'src/runtime/task/join_handle.ts', name: ['JoinHandle'] },
  { from: 'file', path: 'src/runtime/task/task.ts', name: ['Task'] },
  { from: 'file', path: 'src/runtime/scheduler/multi_thread/remote_handle.ts', name: ['RemoteHandle'] },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**'] },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    rules: {
      '@typescript-eslint/no-floating-promises': ['error', { checkThenables: true, allowForKnownSafePromises: safeHandles }],
    },
  },
);
