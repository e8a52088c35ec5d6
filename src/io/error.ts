/**
 * `IoError`: the one error type of kyoto's I/O, carrying Node's error `code`.
 * @module
 */

/**
 * An I/O failure. `code` is Node's (`ECONNREFUSED`, `ECONNRESET`, `EADDRINUSE`, `EPIPE`, ...) or
 * one of kyoto's own (`UNEXPECTED_EOF`, `FRAME_TOO_LONG`, `INVALID_DATA`, `CLOSED`); the message
 * names the operation and the address.
 *
 * @example
 * ```ts
 * try { yield* TcpStream.connect('127.0.0.1:1'); }
 * catch (e) { if (e instanceof IoError && e.code === 'ECONNREFUSED') console.log(e.message); }
 * ```
 */
export class IoError extends Error {
  override name = 'IoError';
  /** Node's error code, or kyoto's for errors it raises itself. */
  readonly code: string;
  /** The system call that failed, when Node reported one. */
  readonly syscall: string | undefined;
  /** The address involved (`host:port` or a path), when known. */
  readonly address: string | undefined;
  /** The file-system path involved (fs and process errors), as Node reports it. */
  readonly path: string | undefined;

  constructor(code: string, message: string, opts: { cause?: unknown; syscall?: string; address?: string; path?: string } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = code;
    this.syscall = opts.syscall;
    this.address = opts.address;
    this.path = opts.path;
  }
}

/**
 * Converts a Node error into an `IoError` that names `op` and `address`.
 *
 * @example
 * ```ts
 * socket.on('error', (e) => reg.setError(toIoError(e, 'read', '127.0.0.1:8080')));
 * ```
 */
export function toIoError(err: unknown, op: string, address: string): IoError {
  if (err instanceof IoError) return err;
  const e = err as NodeJS.ErrnoException;
  const code = typeof e?.code === 'string' ? e.code : 'EIO';
  const msg = e instanceof Error ? e.message : String(err);
  const opts: { cause?: unknown; syscall?: string; address?: string } = { cause: err, address };
  if (typeof e?.syscall === 'string') opts.syscall = e.syscall;
  return new IoError(code, `${op} ${address === '' ? '' : `${address} `}failed: ${msg}`.replace(/ +/g, ' '), opts);
}
