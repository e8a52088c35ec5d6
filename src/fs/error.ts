/**
 * `fsError`: turns a Node file-system error into kyoto's `IoError`.
 *
 * Invariant: the result keeps Node's `code` (ENOENT, EACCES, EEXIST, ...), `syscall` (open,
 * rename, ...) and `path`, and its message names the kyoto operation and the path, so a failure
 * read in a log says what was attempted on what. Proved by test/fs/helpers.test.ts.
 * @module
 */
import { IoError } from '../io/error.js';

/**
 * Converts `err` (a Node errno error) into an `IoError` naming `op` and `path`.
 *
 * @example
 * ```ts
 * fs.open(p, 'r', (err, fd) => { if (err) reject(fsError(err, 'open', p)); });
 * ```
 */
export function fsError(err: unknown, op: string, path: string, dest?: string): IoError {
  if (err instanceof IoError) return err;
  const e = err as NodeJS.ErrnoException;
  const code = typeof e?.code === 'string' ? e.code : 'EIO';
  const what = dest === undefined ? path : `${path} -> ${dest}`;
  const detail = e instanceof Error ? e.message : String(err);
  const opts: { cause: unknown; syscall?: string; path: string } = { cause: err, path: typeof e?.path === 'string' ? e.path : path };
  if (typeof e?.syscall === 'string') opts.syscall = e.syscall;
  return new IoError(code, `${op} ${what} failed: ${detail}`, opts);
}

/** An `IoError` kyoto raises itself about `path` (no Node error underneath). */
export function fsOwnError(code: string, op: string, path: string, detail: string): IoError {
  return new IoError(code, `${op} ${path} failed: ${detail}`, { path });
}
