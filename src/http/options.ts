/**
 * `ServeOptions` and their defaults, checked once at `serve` time (a typo or a nonsense value
 * is a RangeError naming the option, never a silent default).
 *
 * Why the numbers: the limits and timeouts are node:http's own defaults (16 KiB of head, 60 s
 * to send the head, 300 s for the whole request, 5 s keep-alive), so moving a server from
 * node:http to kyoto changes no behaviour at the edges; `maxBodyBytes` (1 MiB) bounds only what
 * `text()`/`json()`/`bytes()` buffer, because the streaming `body` is backpressured.
 * @module
 */

/** Options of `serve`. */
export interface ServeOptions {
  /** Interface to bind (default '127.0.0.1'). */
  host?: string;
  /** Port (0 = any free port; default 0). */
  port?: number;
  /** Aborting it shuts the server down gracefully, like `shutdown()`. */
  signal?: AbortSignal;
  /** Largest request head (request line + headers) in bytes; beyond it 431 (default 16384). */
  maxHeaderBytes?: number;
  /** Largest body `text()`/`json()`/`bytes()` accept; beyond it 413 (default 1 MiB). */
  maxBodyBytes?: number;
  /** Time a client has to send a complete head; then 408 and close (default 60000). */
  headersTimeoutMs?: number;
  /** Time a client has to send the whole request (head and body); then 408 (default 300000). */
  requestTimeoutMs?: number;
  /** Idle keep-alive connections are closed after this (default 5000). */
  keepAliveTimeoutMs?: number;
  /** Connections beyond this are closed at accept (default Infinity). */
  maxConnections?: number;
  /** Listen backlog (default 1024). */
  backlog?: number;
}

/** @internal the checked options with defaults filled in. */
export interface Config {
  host: string;
  port: number;
  signal: AbortSignal | null;
  maxHeaderBytes: number;
  maxBodyBytes: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxConnections: number;
  backlog: number;
}

const KNOWN = new Set([
  'host',
  'port',
  'signal',
  'maxHeaderBytes',
  'maxBodyBytes',
  'headersTimeoutMs',
  'requestTimeoutMs',
  'keepAliveTimeoutMs',
  'maxConnections',
  'backlog',
]);

function num(opts: ServeOptions, key: keyof ServeOptions, dflt: number, min: number, int = true): number {
  const v = opts[key];
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || Number.isNaN(v) || v < min || (int && v !== Infinity && !Number.isInteger(v))) {
    throw new RangeError(`serve: ${key} must be ${int ? 'an integer' : 'a number'} >= ${min}, got ${String(v)}`);
  }
  return v;
}

/** @internal */
export function config(opts: ServeOptions): Config {
  for (const k of Object.keys(opts)) if (!KNOWN.has(k)) throw new RangeError(`serve: unknown option ${JSON.stringify(k)}`);
  const port = num(opts, 'port', 0, 0);
  if (port > 65535) throw new RangeError(`serve: port must be <= 65535, got ${port}`);
  return {
    host: opts.host ?? '127.0.0.1',
    port,
    signal: opts.signal ?? null,
    maxHeaderBytes: num(opts, 'maxHeaderBytes', 16384, 64),
    maxBodyBytes: num(opts, 'maxBodyBytes', 1024 * 1024, 0),
    headersTimeoutMs: num(opts, 'headersTimeoutMs', 60_000, 1),
    requestTimeoutMs: num(opts, 'requestTimeoutMs', 300_000, 1),
    keepAliveTimeoutMs: num(opts, 'keepAliveTimeoutMs', 5000, 1),
    maxConnections: num(opts, 'maxConnections', Infinity, 1),
    backlog: num(opts, 'backlog', 1024, 1),
  };
}
