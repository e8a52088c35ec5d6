/**
 * grep: prints the lines of a file that match a regular expression, with their line numbers.
 * Reads through `BufReader` over a kyoto `File` (large files stream in 256 KiB read-ahead
 * chunks, a few pool hops per megabyte) and writes matches to `stdout()`.
 *
 *   node dist/examples/grep.js <regexp> <file>
 *   node dist/examples/grep.js 'ERROR|WARN' /var/log/syslog
 */
import { pathToFileURL } from 'node:url';
import { BufReader, IoError, run } from '../src/index.js';
import { File } from '../src/fs/index.js';
import { stdout } from '../src/io/stdio.js';

/** Writes `n:line` for every line of `path` matching `pattern`; returns the number of matches. */
export function* grepFile(pattern: RegExp, path: string) {
  using file = yield* File.open(path);
  const lines = new BufReader(file, { capacity: 64 * 1024 });
  const out = stdout();
  let n = 0;
  let matches = 0;
  for (let line = yield* lines.readLine(); line !== null; line = yield* lines.readLine()) {
    n++;
    if (pattern.test(line)) {
      matches++;
      yield* out.writeAll(Buffer.from(`${n}:${line}\n`));
    }
  }
  yield* out.flush();
  return matches;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [pattern, path] = process.argv.slice(2);
  if (pattern === undefined || path === undefined) {
    console.error('usage: grep <regexp> <file>');
    process.exit(2);
  }
  try {
    const matches = await run(function* () {
      return yield* grepFile(new RegExp(pattern), path);
    });
    process.exitCode = matches > 0 ? 0 : 1;
  } catch (e) {
    console.error(e instanceof IoError ? `grep: ${e.message}` : e);
    process.exitCode = 2;
  }
}
