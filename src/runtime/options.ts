/**
 * Checks of `new Runtime(opts)`: a typo in an option is an error at construction, not a runtime
 * that silently behaves otherwise (`flavor: 'multi-thread'` used to give a current-thread one).
 *
 * Invariants (test/edge/options.test.ts): every option the core reads is checked here, before
 * any driver or thread is created; the error is a `RuntimeOptionsError` naming the option, what
 * it accepts and the value given (with the likely spelling for a near-miss `flavor`). Options of
 * other modules (console thresholds, scheduler knobs) are checked by their owners.
 * @module
 */
import { builtin } from '../util/node_builtins.js';
import { describeValue } from '../util/args.js';

/**
 * Thrown by `new Runtime(opts)` for an option value kyoto cannot honour.
 *
 * @example
 * ```ts
 * new Runtime({ flavor: 'multi-thread' as never }); // RuntimeOptionsError: ... did you mean 'multi_thread'?
 * ```
 */
export class RuntimeOptionsError extends TypeError {
  override name = 'RuntimeOptionsError';
}

const FLAVORS = ['current_thread', 'multi_thread'];

/** Validates the core options of `new Runtime(opts)`; throws `RuntimeOptionsError`. */
export function checkRuntimeOptions(opts: unknown): void {
  if (opts === null || typeof opts !== 'object') {
    throw new RuntimeOptionsError(`new Runtime(opts): opts must be an object, got ${describeValue(opts)}`);
  }
  const o = opts as Record<string, unknown>;
  if (o['flavor'] !== undefined && !FLAVORS.includes(o['flavor'] as string)) {
    const guess = typeof o['flavor'] === 'string' ? FLAVORS.find((f) => norm(f) === norm(o['flavor'] as string)) : undefined;
    throw new RuntimeOptionsError(
      `new Runtime: flavor must be 'current_thread' or 'multi_thread', got ${describeValue(o['flavor'])}${guess !== undefined ? ` (did you mean '${guess}'?)` : ''}`,
    );
  }
  positiveInt(o, 'workers');
  positiveInt(o, 'maxBlockingThreads');
  if (o['startPaused'] !== undefined && typeof o['startPaused'] !== 'boolean') {
    throw new RuntimeOptionsError(`new Runtime: startPaused must be a boolean, got ${describeValue(o['startPaused'])}`);
  }
  if (o['name'] !== undefined && typeof o['name'] !== 'string') {
    throw new RuntimeOptionsError(`new Runtime: name must be a string, got ${describeValue(o['name'])}`);
  }
  const c = o['console'];
  if (c !== undefined && typeof c !== 'boolean') {
    if (c === null || typeof c !== 'object') {
      throw new RuntimeOptionsError(`new Runtime: console must be true, false or { port, host }, got ${describeValue(c)}`);
    }
    const host = (c as Record<string, unknown>)['host'];
    if (host !== undefined && (typeof host !== 'string' || !isAddress(host))) {
      throw new RuntimeOptionsError(
        `new Runtime: console.host must be an IP address or 'localhost' (like '127.0.0.1' or '::1'), got ${describeValue(host)}`,
      );
    }
    const port = (c as Record<string, unknown>)['port'];
    if (port !== undefined && (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535)) {
      throw new RuntimeOptionsError(`new Runtime: console.port must be an integer in [0, 65535], got ${describeValue(port)}`);
    }
  }
}

function positiveInt(o: Record<string, unknown>, key: string): void {
  const v = o[key];
  if (v === undefined) return;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new RuntimeOptionsError(`new Runtime: ${key} must be an integer >= 1, got ${describeValue(v)}`);
  }
}

function isAddress(host: string): boolean {
  const h = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return h === 'localhost' || builtin('node:net').isIP(h) !== 0;
}

function norm(s: string): string {
  return s.toLowerCase().replace(/[^a-z]/g, '');
}
