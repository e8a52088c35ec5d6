/**
 * Console options: `new Runtime({ console: { port, host } })` or `KYOTO_CONSOLE=host:port`.
 * @module
 */
import type { LintOptions } from './lints.js';

/** The default port (the one tokio-console uses). */
export const DEFAULT_CONSOLE_PORT = 6669;
/** The default bind address: loopback only. */
export const DEFAULT_CONSOLE_HOST = '127.0.0.1';
/** The shortest interval between two updates streamed to a client (ms). */
export const MIN_UPDATE_INTERVAL_MS = 250;

/** Options of the console server (all optional). */
export interface ConsoleOptions extends LintOptions {
  /** TCP port; 0 picks a free one. Default 6669. */
  port?: number;
  /**
   * Bind address. Default `127.0.0.1` (loopback). Any other address exposes task names, source
   * paths and await chains, without authentication, to whoever can reach it: see docs/console.md.
   */
  host?: string;
  /** Interval between streamed updates (ms, >= 250). Default 250. */
  intervalMs?: number;
  /** Most tasks sent per update (the table shows the first ones by id). Default 1000. */
  maxTasks?: number;
  /** Print the task dump to stderr on SIGUSR2. Default true. */
  dumpOnSignal?: boolean;
}

/** A console option or `KYOTO_CONSOLE` value that cannot be used. */
export class ConsoleConfigError extends TypeError {
  override name = 'ConsoleConfigError';
}

/** Options with defaults filled in. */
export interface ResolvedConsoleOptions extends LintOptions {
  port: number;
  host: string;
  intervalMs: number;
  maxTasks: number;
  dumpOnSignal: boolean;
}

/**
 * Parses `host:port`, `[::1]:port`, `:port` or `port` (as in `KYOTO_CONSOLE`).
 *
 * @example
 * ```ts
 * parseConsoleAddress('127.0.0.1:6669'); // { host: '127.0.0.1', port: 6669 }
 * ```
 */
export function parseConsoleAddress(addr: string): { host: string; port: number } {
  const a = addr.trim();
  let host = DEFAULT_CONSOLE_HOST;
  let portText = a;
  const v6 = /^\[([^\]]+)\]:(\d+)$/.exec(a);
  if (v6 !== null) {
    host = v6[1]!;
    portText = v6[2]!;
  } else if (a.includes(':')) {
    const i = a.lastIndexOf(':');
    host = a.slice(0, i) || DEFAULT_CONSOLE_HOST;
    portText = a.slice(i + 1);
  }
  if (!/^\d+$/.test(portText)) {
    throw new ConsoleConfigError(`console address must be host:port (like 127.0.0.1:6669), got ${JSON.stringify(addr)}`);
  }
  return { host, port: checkPort(Number(portText)) };
}

function checkPort(p: unknown): number {
  if (typeof p !== 'number' || !Number.isInteger(p) || p < 0 || p > 65535) {
    throw new ConsoleConfigError(`console port must be an integer from 0 to 65535, got ${String(p)}`);
  }
  return p;
}

/** Validates `opts` and fills in the defaults. */
export function resolveConsoleOptions(opts: ConsoleOptions | true): ResolvedConsoleOptions {
  const o: ConsoleOptions = opts === true ? {} : opts;
  if (typeof o !== 'object' || o === null) throw new ConsoleConfigError(`console options must be an object or true, got ${String(o)}`);
  const host = o.host ?? DEFAULT_CONSOLE_HOST;
  if (typeof host !== 'string' || host === '') throw new ConsoleConfigError(`console host must be a non-empty string, got ${String(host)}`);
  const intervalMs = o.intervalMs ?? MIN_UPDATE_INTERVAL_MS;
  if (typeof intervalMs !== 'number' || !(intervalMs >= MIN_UPDATE_INTERVAL_MS) || !Number.isFinite(intervalMs)) {
    throw new ConsoleConfigError(`console intervalMs must be a number >= ${MIN_UPDATE_INTERVAL_MS}, got ${String(intervalMs)}`);
  }
  const maxTasks = o.maxTasks ?? 1000;
  if (!Number.isInteger(maxTasks) || maxTasks < 1) throw new ConsoleConfigError(`console maxTasks must be a positive integer, got ${String(maxTasks)}`);
  const r: ResolvedConsoleOptions = {
    ...o,
    port: checkPort(o.port ?? DEFAULT_CONSOLE_PORT),
    host,
    intervalMs,
    maxTasks,
    dumpOnSignal: o.dumpOnSignal ?? true,
  };
  return r;
}

/** True for loopback addresses (127.0.0.0/8, ::1, localhost). */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'localhost' || h === '::1' || h === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(h) || h === '::ffff:127.0.0.1';
}
