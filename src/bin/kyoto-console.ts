#!/usr/bin/env node
/**
 * `kyoto-console [addr]`: the terminal UI of the kyoto console. `addr` is the `host:port` of a
 * process started with `KYOTO_CONSOLE=host:port` or `new Runtime({ console: { port } })`
 * (default 127.0.0.1:6669). Keys: ↑/↓ or j/k select, enter details, esc back, s sort,
 * r reverse, tab or 1-4 views, q quit.
 * @module
 */
import { runTui } from '../console/tui/app.js';
import { ConsoleConfigError, DEFAULT_CONSOLE_HOST, DEFAULT_CONSOLE_PORT } from '../console/config.js';

const arg = process.argv[2];
if (arg === '-h' || arg === '--help') {
  process.stdout.write(
    'usage: kyoto-console [host:port]\n\nConnects to a kyoto console server (default 127.0.0.1:6669) and shows its tasks live.\nKeys: up/down or j/k select, enter details, esc back, s sort, r reverse, tab or 1-4 views, q quit.\n',
  );
  process.exit(0);
}
try {
  await runTui(arg ?? `${DEFAULT_CONSOLE_HOST}:${DEFAULT_CONSOLE_PORT}`);
  process.exit(0);
} catch (e) {
  if (e instanceof ConsoleConfigError) {
    process.stderr.write(`kyoto-console: ${e.message}\n`);
    process.exit(2);
  }
  throw e;
}
