/**
 * `Registration`: the reactor's record of one I/O resource (a socket, a listener, a signal).
 *
 * libuv is kyoto's OS-level poller. Node tells a resource that it became readable ('readable',
 * 'connection', 'message'), writable ('drain', 'connect'), closed ('end', 'close') or failed
 * ('error'); the resource records that here and the registration wakes the task that waits for
 * it. There is one waker slot for a reader and one for a writer, so two tasks (the halves of a
 * split stream) can wait on the same resource at once.
 *
 * Why the registration is itself the reader's `WakerSlot`, and the writer's slot is made when a
 * writer first waits: a registration lives as long as its connection, most connections wait to
 * read all their life and rarely to write, and every object costs an idle connection 24 bytes of
 * header plus 8 per field. Two slot objects per socket were 64 of its bytes
 * (test/net/registration.test.ts checks both sides; the idle-connection row of BENCHMARKS.md
 * measures the size).
 * @module
 */
import { Future, Pending, type Context, type Poll, type Waker } from '../../future/future.js';
import { pollProceed } from '../coop.js';
import { WakerSlot } from '../../future/waker_slot.js';
import type { IoCounters } from './counters.js';

/**
 * Readiness bits of a `Registration` (combine with `|`).
 *
 * @example
 * ```ts
 * if ((reg.readiness & (READABLE | READ_CLOSED)) !== 0) tryRead();
 * ```
 */
export const READABLE = 1;
/** The resource can accept writes (below its high-water mark). */
export const WRITABLE = 2;
/** The peer finished sending (EOF) or the resource closed. */
export const READ_CLOSED = 4;
/** The write side is shut down or the resource closed. */
export const WRITE_CLOSED = 8;
/** The resource failed; `error` holds why. */
export const ERROR = 16;
/** The registration was removed from the driver (the resource is gone). */
export const DEREGISTERED = 32;

/** What a registration needs from the driver it registers with (`IoDriver`). */
export interface RegistrationHost {
  /** The driver's byte and event counters, bumped by resources. */
  readonly counters: IoCounters;
  /** Adds `reg` to the open set. */
  add(reg: Registration): void;
  /** Removes `reg` from the open set (idempotent). */
  remove(reg: Registration): void;
}

/** What a registration needs from its resource. */
export interface RegistrationOwner {
  /** Closes the resource at once (runtime shutdown). */
  forceClose(): void;
  /** A short label for dumps (an address, a path, a signal name); computed only when asked. */
  label(): string;
}

/**
 * Readiness of one I/O resource with a reader and a writer waker.
 *
 * @example
 * ```ts
 * const reg = new Registration('tcp', ioDriver(), owner); // owner: { forceClose(), label() }
 * socket.on('readable', () => reg.setReadiness(READABLE));
 * yield* reg.readable(); // resolves once the socket has data, EOF or an error
 * ```
 */
export class Registration extends WakerSlot {
  /** Readiness bits (READABLE, WRITABLE, READ_CLOSED, WRITE_CLOSED, ERROR). */
  readiness = 0;
  /** Why the resource failed, once ERROR is set. */
  error: Error | null = null;
  /** The waker of the task waiting to write, once one waited (the reader's is `this`). */
  private writerSlot: WakerSlot | null = null;
  /** Intrusive list links of the driver's open registrations (O(1) removal). */
  prev: Registration | null = null;
  next: Registration | null = null;
  /** The resource itself: closed by the driver when the runtime shuts down, and labelled in dumps. */
  readonly owner: RegistrationOwner;

  constructor(
    readonly kind: string,
    readonly driver: RegistrationHost,
    owner: RegistrationOwner,
  ) {
    super();
    this.owner = owner;
    driver.add(this);
  }

  /**
   * True while the resource is registered with the driver (open).
   *
   * @example
   * ```ts
   * if (!reg.isOpen()) throw new IoError('CLOSED', 'socket closed');
   * ```
   */
  isOpen(): boolean {
    return (this.readiness & DEREGISTERED) === 0;
  }

  /**
   * Sets readiness bits and wakes the waiters they concern.
   *
   * @example
   * ```ts
   * socket.on('readable', () => reg.setReadiness(READABLE));
   * ```
   */
  setReadiness(bits: number): void {
    this.readiness |= bits;
    if ((bits & (READABLE | READ_CLOSED | ERROR | DEREGISTERED)) !== 0) this.wakeReader();
    if ((bits & (WRITABLE | WRITE_CLOSED | ERROR | DEREGISTERED)) !== 0) this.wakeWriter();
  }

  /**
   * Clears readiness bits (a read found nothing: wait for the next readiness event).
   *
   * @example
   * ```ts
   * if (socket.read() === null) { reg.clearReadiness(READABLE); reg.registerReader(cx); return Pending; }
   * ```
   */
  clearReadiness(bits: number): void {
    this.readiness &= ~bits;
  }

  /**
   * Records a failure and wakes both waiters.
   *
   * @example
   * ```ts
   * socket.on('error', (e) => reg.setError(toIoError(e, 'read', addr)));
   * ```
   */
  setError(err: Error): void {
    if (this.error === null) this.error = err;
    this.setReadiness(ERROR);
  }

  /** The reader's waker, or null. */
  get reader(): Waker | null {
    return this.waker;
  }

  /** The writer's waker, or null. */
  get writer(): Waker | null {
    return this.writerSlot === null ? null : this.writerSlot.waker;
  }

  /**
   * @example
   * ```ts
   * reg.wakeReader();
   * ```
   */
  wakeReader(): void {
    this.wake();
  }

  /**
   * @example
   * ```ts
   * reg.wakeWriter();
   * ```
   */
  wakeWriter(): void {
    this.writerSlot?.wake();
  }

  /**
   * Stores the reader waker (keeping an equal one).
   *
   * @example
   * ```ts
   * reg.registerReader(cx); return Pending;
   * ```
   */
  registerReader(cx: Context): void {
    this.register(cx);
  }

  /**
   * Stores the writer waker (keeping an equal one).
   *
   * @example
   * ```ts
   * reg.registerWriter(cx); return Pending;
   * ```
   */
  registerWriter(cx: Context): void {
    (this.writerSlot ??= new WakerSlot()).register(cx);
  }

  /**
   * Removes the registration from the driver and wakes both waiters (idempotent).
   *
   * @example
   * ```ts
   * socket.on('close', () => reg.deregister());
   * ```
   */
  deregister(): void {
    if ((this.readiness & DEREGISTERED) !== 0) return;
    this.driver.remove(this);
    this.setReadiness(DEREGISTERED | READ_CLOSED | WRITE_CLOSED);
  }

  /**
   * Ready once the resource is readable, at EOF, failed or closed (spends one coop unit).
   *
   * @example
   * ```ts
   * yield* stream.readable();
   * ```
   */
  readable(): Future<void> {
    return new ReadinessFuture(this, READABLE | READ_CLOSED | ERROR | DEREGISTERED, false);
  }

  /**
   * Ready once the resource accepts writes (below its high-water mark), failed or closed.
   *
   * @example
   * ```ts
   * yield* stream.writable();
   * ```
   */
  writable(): Future<void> {
    return new ReadinessFuture(this, WRITABLE | WRITE_CLOSED | ERROR | DEREGISTERED, true);
  }

  /**
   * One line for dumps.
   *
   * @example
   * ```ts
   * console.log(reg.describe()); // io tcp 127.0.0.1:80: readable; waited on by a reader
   * ```
   */
  describe(): string {
    const r = this.readiness;
    const bits: string[] = [];
    if (r & READABLE) bits.push('readable');
    if (r & WRITABLE) bits.push('writable');
    if (r & READ_CLOSED) bits.push('read-closed');
    if (r & WRITE_CLOSED) bits.push('write-closed');
    if (r & ERROR) bits.push(`error ${this.error?.message ?? ''}`);
    const waits: string[] = [];
    if (this.reader !== null) waits.push('a reader');
    if (this.writer !== null) waits.push('a writer');
    return `io ${this.kind} ${this.owner.label()}: ${bits.join(', ') || 'not ready'}${waits.length > 0 ? `; waited on by ${waits.join(' and ')}` : ''}`;
  }
}

class ReadinessFuture extends Future<void> {
  constructor(
    private readonly reg: Registration,
    private readonly mask: number,
    private readonly write: boolean,
  ) {
    super();
  }
  poll(cx: Context): Poll<void> {
    const reg = this.reg;
    if ((reg.readiness & this.mask) !== 0) {
      if (!pollProceed(cx)) return Pending;
      return undefined;
    }
    if (this.write) reg.registerWriter(cx);
    else reg.registerReader(cx);
    return Pending;
  }
  override drop(): void {
    // Waker slots are single and owned by whoever polls last; nothing to unlink.
  }
}
