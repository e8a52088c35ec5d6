/**
 * The I/O driver: the runtime's registry of open I/O resources.
 *
 * It holds every open `Registration` in an intrusive list (O(1) add and remove), tells deadlock
 * detection how many of them could still wake a task (`pendingWakeSources`), lists them in dumps
 * (`describe`), adds its counters to `rt.metrics()`, and closes whatever is still open when the
 * runtime shuts down.
 * @module
 */
import type { Driver } from '../driver.js';
import { Runtime } from '../runtime.js';
import type { Registration, RegistrationHost } from './registration.js';
import { addIoMetrics, newIoCounters, type IoCounters } from './counters.js';

export type { IoCounters } from './counters.js';

/** The key of the I/O driver in `rt.driver(IO_KEY, ...)`. */
export const IO_KEY: unique symbol = Symbol.for('kyoto.io');

/**
 * The I/O driver of one runtime.
 *
 * @example
 * ```ts
 * const io = rt.driver(IO_KEY, () => new IoDriver());
 * console.log(io.open, rt.metrics().ioOpenRegistrations);
 * ```
 */
export class IoDriver implements Driver, RegistrationHost {
  /** Open registrations. */
  open = 0;
  private head: Registration | null = null;
  private readonly byKind = new Map<string, number>();
  readonly counters: IoCounters = newIoCounters();


  /** @internal */
  add(reg: Registration): void {
    reg.next = this.head;
    reg.prev = null;
    if (this.head !== null) this.head.prev = reg;
    this.head = reg;
    this.open++;
    this.byKind.set(reg.kind, (this.byKind.get(reg.kind) ?? 0) + 1);
  }

  /** @internal */
  remove(reg: Registration): void {
    if (reg.prev !== null) reg.prev.next = reg.next;
    else if (this.head === reg) this.head = reg.next;
    else return;
    if (reg.next !== null) reg.next.prev = reg.prev;
    reg.prev = null;
    reg.next = null;
    this.open--;
    this.byKind.set(reg.kind, (this.byKind.get(reg.kind) ?? 1) - 1);
  }

  /**
   * Open registrations: each one (a socket, a listener, a signal) can still wake a task.
   *
   * @example
   * ```ts
   * if (ioDriver().pendingWakeSources() === 0) console.log('no sockets open');
   * ```
   */
  pendingWakeSources(): number {
    return this.open;
  }

  /**
   * Dump lines: a summary and the first registrations that have waiters.
   *
   * @example
   * ```ts
   * for (const line of ioDriver().describe()) console.log(line);
   * ```
   */
  describe(): string[] {
    if (this.open === 0) return [];
    const kinds = [...this.byKind].filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`);
    const lines = [`io driver: ${this.open} open registration(s) (${kinds.join(', ')})`];
    let shown = 0;
    for (let r = this.head; r !== null && shown < 20; r = r.next) {
      if (r.reader !== null || r.writer !== null || this.open <= 20) {
        lines.push(`  ${r.describe()}`);
        shown++;
      }
    }
    return lines;
  }

  /**
   * Adds the driver's counters (io* names) to `into`.
   *
   * @example
   * ```ts
   * const m: Record<string, unknown> = {}; ioDriver().metrics(m); // m.ioOpenRegistrations, ...
   * ```
   */
  metrics(into: Record<string, unknown>): void {
    into['ioOpenRegistrations'] = this.open;
    addIoMetrics(into, this.counters);
  }

  /**
   * Closes every resource still open (the runtime shut down).
   *
   * @example
   * ```ts
   * ioDriver().shutdown(); // closes every open socket (the runtime does this)
   * ```
   */
  shutdown(): void {
    let r = this.head;
    while (r !== null) {
      const next = r.next;
      try {
        r.owner.forceClose();
      } catch {
        // a resource that fails to close is already gone
      }
      r.deregister();
      r = next;
    }
  }
}

/**
 * The I/O driver of the runtime polling the caller (or of the default runtime outside a task).
 *
 * @example
 * ```ts
 * const open = ioDriver().open;
 * ```
 */
export function ioDriver(rt?: Runtime): IoDriver {
  const r = rt ?? Runtime.tryCurrent() ?? Runtime.default();
  return r.driver(IO_KEY, makeDriver);
}

function makeDriver(): IoDriver {
  return new IoDriver();
}
