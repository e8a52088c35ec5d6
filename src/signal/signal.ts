/**
 * `signal(name)`: process signals as a source of arrivals; `ctrlC()`: the next Ctrl-C.
 * @module
 */
import { builtin } from '../util/node_builtins.js';
import { Future, Pending, type Context, type Poll } from '../future/future.js';
import { pollProceed } from '../runtime/coop.js';
import { ioDriver } from '../runtime/io/driver.js';
import { READABLE, Registration, type RegistrationOwner } from '../runtime/io/registration.js';
import { trackResource, type ResourceInfo } from '../runtime/resources.js';
import { signalStats, type SignalStats } from './stats.js';

/** A signal name such as 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGUSR1'. */
export type SignalName = NodeJS.Signals;

/**
 * Thrown for a signal that does not exist or cannot be listened to.
 *
 * @example
 * ```ts
 * try { signal('SIGKILL'); } catch (e) { if (e instanceof SignalError) console.error(e.message); }
 * ```
 */
export class SignalError extends TypeError {
  override name = 'SignalError';
}

function noop(): void {}

const UNCATCHABLE = new Set(['SIGKILL', 'SIGSTOP']);

/**
 * Arrivals of one process signal. While it is open, the signal's default action (exiting, for
 * SIGINT and SIGTERM) is replaced by delivery here. Arrivals between two `recv()` calls are
 * coalesced into one, as in Tokio.
 *
 * @example
 * ```ts
 * const hup = signal('SIGHUP');
 * while ((yield* hup.recv()) !== null) reloadConfig();
 * ```
 */
export class Signal implements RegistrationOwner {
  /** @internal */
  readonly reg: Registration;
  private readonly stats: SignalStats;
  private pending = 0;
  /**
   * Node's signal watchers do not keep the process alive; a task waiting for a signal should
   * (as in Tokio), so a ref'd timer is held while a `recv()` is pending.
   */
  private keepAlive: NodeJS.Timeout | null = null;
  private readonly handler = (): void => {
    this.pending++;
    this.stats.signalsReceived++;
    this.reg.setReadiness(READABLE);
  };

  constructor(readonly signal: SignalName) {
    if (typeof signal !== 'string' || !(signal in builtin('node:os').constants.signals)) {
      throw new SignalError(`unknown signal ${JSON.stringify(signal)}: expected a name such as 'SIGINT' or 'SIGTERM'`);
    }
    if (UNCATCHABLE.has(signal)) throw new SignalError(`signal ${signal} cannot be caught`);
    this.reg = new Registration('signal', ioDriver(), this);
    this.stats = signalStats();
    process.on(signal, this.handler);
    trackResource(this);
  }

  /** @internal */
  label(): string {
    return this.signal;
  }

  /** @internal */
  forceClose(): void {
    this.close();
  }

  /** @internal */
  resourceInfo(): ResourceInfo {
    return { kind: 'signal', label: this.signal, waiters: this.reg.reader !== null ? 1 : 0, details: { pending: this.pending } };
  }

  /**
   * Waits for the next arrival; gives how many arrivals it stands for (1 unless several were
   * coalesced), or null once the signal was closed. Cancel-safe.
   *
   * @example
   * ```ts
   * yield* sigterm.recv();
   * ```
   */
  recv(): Future<number | null> {
    return new RecvSignal(this);
  }

  /** @internal */
  pollRecv(cx: Context): Poll<number | null> {
    if (this.pending > 0) {
      if (!pollProceed(cx)) return Pending;
      const n = this.pending;
      this.pending = 0;
      this.release();
      return n;
    }
    if (!this.reg.isOpen()) return null;
    this.reg.clearReadiness(READABLE);
    this.reg.registerReader(cx);
    this.keepAlive ??= setInterval(noop, 1 << 30);
    return Pending;
  }

  /** @internal nobody waits any more: let the process exit. */
  release(): void {
    if (this.keepAlive !== null) {
      clearInterval(this.keepAlive);
      this.keepAlive = null;
    }
  }

  /**
   * Stops listening (the default action comes back); a pending `recv()` gives null.
   *
   * @example
   * ```ts
   * hup.close();
   * ```
   */
  close(): void {
    if (!this.reg.isOpen()) return;
    process.removeListener(this.signal, this.handler);
    this.release();
    this.reg.deregister();
  }

  /** `using s = signal('SIGHUP')` closes it at the end of the block. */
  [Symbol.dispose](): void {
    this.close();
  }
}

class RecvSignal extends Future<number | null> {
  constructor(private readonly s: Signal) {
    super();
  }
  poll(cx: Context): Poll<number | null> {
    return this.s.pollRecv(cx);
  }
  override drop(): void {
    this.s.release();
  }
}

/**
 * Listens for `name` (see `Signal`).
 *
 * @example
 * ```ts
 * const term = signal('SIGTERM');
 * yield* term.recv();
 * console.log('shutting down');
 * ```
 */
export function signal(name: SignalName): Signal {
  return new Signal(name);
}

class CtrlC extends Future<void> {
  private sig: Signal | null = null;
  poll(cx: Context): Poll<void> {
    const s = (this.sig ??= new Signal('SIGINT'));
    const r = s.pollRecv(cx);
    if (r === Pending) return Pending;
    s.close();
    return undefined;
  }
  override drop(): void {
    this.sig?.close();
  }
}

/**
 * Ready at the next SIGINT (Ctrl-C). Listening starts at the first poll and stops once it is
 * ready or dropped, so Ctrl-C exits the process as usual when nobody waits for it.
 *
 * @example
 * ```ts
 * const r = yield* select({ stop: ctrlC(), conn: listener.accept() });
 * ```
 */
export function ctrlC(): Future<void> {
  return new CtrlC();
}
