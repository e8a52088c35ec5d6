/**
 * kyoto resources as streams: channel receivers (mpsc, broadcast, watch), intervals, signals,
 * a listener's incoming connections and a reader's lines.
 *
 * Each adapter is written against the resource's public, cancel-safe method (`recv()`,
 * `changed()`, `tick()`, `accept()`, `readLine()`), described here by a small structural
 * interface, so it works with kyoto's resources and with anything else of the same shape. The
 * stream keeps the pending future between polls (the resource's own cancel safety makes a
 * dropped stream lose nothing) and, unless told otherwise, owns the resource: dropping the
 * stream closes it.
 * @module
 */
import { Pending, type Context, type Future } from '../future/future.js';
import { Done, Stream, type StreamPoll } from './stream.js';
import { describe } from './errors.js';

/** How a resource's future maps to stream values. */
interface Spec<S, R, T> {
  /** The next future of the resource. */
  start(src: S): Future<R>;
  /** A ready result to a value, or Done. */
  out(r: R, src: S): T | typeof Done;
  /** An error of the future: Done to end quietly, Pending to try again at once, or rethrow. */
  fail(e: unknown, src: S): typeof Done | typeof Pending;
  /** Releases the resource (when the stream owns it). */
  release(src: S): void;
}

/**
 * Options of the resource adapters.
 *
 * @example
 * ```ts
 * const s = fromReceiver(rx, { closeOnDrop: false }); // rx stays open when s is dropped
 * ```
 */
export interface AdapterOptions {
  /** Close the resource when the stream is dropped or ends (default true: the stream owns it). */
  closeOnDrop?: boolean;
}

class ResourceStream<S, R, T> extends Stream<T> {
  private cur: Future<R> | null = null;
  constructor(
    private src: S | null,
    private readonly spec: Spec<S, R, T>,
    private readonly owns: boolean,
  ) {
    super();
  }
  pollNext(cx: Context): StreamPoll<T> {
    const src = this.src;
    if (src === null) return Done;
    const spec = this.spec;
    for (;;) {
      let f = this.cur;
      if (f === null) f = this.cur = spec.start(src);
      let r;
      try {
        r = f.poll(cx);
      } catch (e) {
        this.cur = null;
        if (spec.fail(e, src) === Pending) continue;
        this.drop();
        return Done;
      }
      if (r === Pending) return Pending;
      this.cur = null;
      const v = spec.out(r, src);
      if (v === Done) this.drop();
      return v;
    }
  }
  override drop(): void {
    const src = this.src;
    if (src === null) return;
    this.src = null;
    const f = this.cur;
    this.cur = null;
    try {
      f?.drop();
    } finally {
      if (this.owns) this.spec.release(src);
    }
  }
}

function rethrow(e: unknown): never {
  throw e;
}

function closeIfAble(src: unknown): void {
  const c = (src as { close?: unknown }).close;
  if (typeof c === 'function') (c as () => void).call(src);
}

function check(what: string, src: unknown, method: string): void {
  if (src === null || typeof src !== 'object' || typeof (src as Record<string, unknown>)[method] !== 'function') {
    throw new TypeError(`${what}: expected an object with ${method === "accept" ? "an" : "a"} ${method}() method, got ${describe(src)}`);
  }
}

// ---- mpsc ----------------------------------------------------------------------------------

/**
 * A receiver: `recv()` gives the next value, or `undefined` once closed and drained (mpsc).
 *
 * @example
 * ```ts
 * const rx: RecvLike<Job> = mpsc.channel<Job>(8)[1];
 * ```
 */
export interface RecvLike<T> {
  recv(): Future<T | undefined>;
  close?(): void;
}

const RECV_SPEC: Spec<RecvLike<unknown>, unknown, unknown> = {
  start: (rx) => rx.recv(),
  out: (v) => (v === undefined ? Done : v),
  fail: rethrow,
  release: closeIfAble,
};

/**
 * The values of an mpsc receiver (or anything with `recv(): Future<T | undefined>`), ending when
 * the channel is closed and drained. Dropping the stream closes the receiver (senders then see
 * the channel closed), unless `{ closeOnDrop: false }`.
 *
 * @example
 * ```ts
 * const [tx, rx] = mpsc.channel<Job>(64);
 * yield* fromReceiver(rx).forEachConcurrent(4, runJob);
 * ```
 */
export function fromReceiver<T>(rx: RecvLike<T>, opts: AdapterOptions = {}): Stream<T> {
  check('fromReceiver', rx, 'recv');
  return new ResourceStream(rx, RECV_SPEC as Spec<RecvLike<T>, T | undefined, T>, opts.closeOnDrop !== false);
}

// ---- broadcast -----------------------------------------------------------------------------

/**
 * Options of `fromBroadcast`.
 *
 * @example
 * ```ts
 * fromBroadcast(rx, { onLagged: (n) => metrics.missed += n });
 * ```
 */
export interface BroadcastStreamOptions extends AdapterOptions {
  /**
   * Called with the number of values missed when the receiver fell behind; the stream then
   * continues. Without it, the `Lagged` error is thrown at the consumer (the stream stays
   * usable: polling again continues with the oldest value still held).
   */
  onLagged?: (missed: number) => void;
}

/** True for a broadcast `Lagged(n)` error. */
function isLagged(e: unknown): e is Error & { n: number } {
  return e instanceof Error && (e.name === 'LaggedError' || e.name === 'Lagged') && typeof (e as { n?: unknown }).n === 'number';
}

/**
 * The values of a broadcast receiver, ending when every sender is closed. A receiver that fell
 * behind gets `Lagged(n)`: passed to `onLagged` if given (and the stream continues), else thrown.
 *
 * @example
 * ```ts
 * const [tx, rx] = broadcast<string>(16);
 * yield* fromBroadcast(rx, { onLagged: (n) => log(`missed ${n}`) }).forEach(render);
 * ```
 */
export function fromBroadcast<T>(rx: RecvLike<T>, opts: BroadcastStreamOptions = {}): Stream<T> {
  check('fromBroadcast', rx, 'recv');
  const onLagged = opts.onLagged;
  const spec: Spec<RecvLike<T>, T | undefined, T> = {
    start: (r) => r.recv(),
    out: (v) => (v === undefined ? Done : v),
    fail: (e) => {
      if (onLagged !== undefined && isLagged(e)) {
        onLagged(e.n);
        return Pending; // continue with the oldest value still held
      }
      throw e;
    },
    release: closeIfAble,
  };
  return new ResourceStream(rx, spec, opts.closeOnDrop !== false);
}

// ---- watch ---------------------------------------------------------------------------------

/**
 * A watch receiver: the current value, and a future of the next change.
 *
 * @example
 * ```ts
 * const rx: WatchLike<Config> = watch(defaults)[1];
 * ```
 */
export interface WatchLike<T> {
  borrowAndUpdate(): T;
  changed(): Future<void>;
  close?(): void;
}

/** True for the error `changed()` throws once every sender is closed. */
function isClosed(e: unknown): boolean {
  return e instanceof Error && (e.name === 'RecvError' || (e as { code?: unknown }).code === 'CLOSED');
}

class WatchStream<T> extends Stream<T> {
  private first = true;
  private cur: Future<void> | null = null;
  constructor(
    private rx: WatchLike<T> | null,
    private readonly owns: boolean,
  ) {
    super();
  }
  pollNext(cx: Context): StreamPoll<T> {
    const rx = this.rx;
    if (rx === null) return Done;
    if (this.first) {
      this.first = false;
      return rx.borrowAndUpdate();
    }
    let f = this.cur;
    if (f === null) f = this.cur = rx.changed();
    let r;
    try {
      r = f.poll(cx);
    } catch (e) {
      this.cur = null;
      if (!isClosed(e)) throw e;
      this.drop();
      return Done;
    }
    if (r === Pending) return Pending;
    this.cur = null;
    return rx.borrowAndUpdate();
  }
  override drop(): void {
    const rx = this.rx;
    if (rx === null) return;
    this.rx = null;
    const f = this.cur;
    this.cur = null;
    try {
      f?.drop();
    } finally {
      if (this.owns) closeIfAble(rx);
    }
  }
}

/**
 * The values of a watch receiver: the current value at once, then the value after each change
 * (changes made between two polls are coalesced: a watch holds one value). Ends when every
 * sender is closed.
 *
 * @example
 * ```ts
 * const [tx, rx] = watch({ level: 'info' });
 * yield* fromWatch(rx).forEach((cfg) => logger.configure(cfg));
 * ```
 */
export function fromWatch<T>(rx: WatchLike<T>, opts: AdapterOptions = {}): Stream<T> {
  check('fromWatch', rx, 'changed');
  return new WatchStream(rx, opts.closeOnDrop !== false);
}

// ---- interval ------------------------------------------------------------------------------

/**
 * An interval: `tick()` gives a future of the next tick.
 *
 * @example
 * ```ts
 * const iv: IntervalLike<Instant> = interval(1000);
 * ```
 */
export interface IntervalLike<I> {
  tick(): Future<I>;
  drop?(): void;
}

const INTERVAL_SPEC: Spec<IntervalLike<unknown>, unknown, unknown> = {
  start: (iv) => iv.tick(),
  out: (i) => i,
  fail: rethrow,
  release: (iv) => iv.drop?.(),
};

/**
 * The ticks of an interval (each one the tick's scheduled instant), forever: end it with
 * `take`, `takeWhile` or by dropping it. Dropping the stream drops the interval (its timer
 * entry is removed at once), unless `{ closeOnDrop: false }`.
 *
 * @example
 * ```ts
 * yield* fromInterval(interval(1000)).take(5).forEach(() => console.log('tick'));
 * ```
 */
export function fromInterval<I>(iv: IntervalLike<I>, opts: AdapterOptions = {}): Stream<I> {
  check('fromInterval', iv, 'tick');
  return new ResourceStream(iv, INTERVAL_SPEC as Spec<IntervalLike<I>, I, I>, opts.closeOnDrop !== false);
}

// ---- signal --------------------------------------------------------------------------------

/**
 * A signal listener: `recv()` gives the number of arrivals since the last one, null once closed.
 *
 * @example
 * ```ts
 * const sig: SignalLike = signal('SIGHUP');
 * ```
 */
export interface SignalLike {
  recv(): Future<number | null>;
  close?(): void;
}

const SIGNAL_SPEC: Spec<SignalLike, number | null, number> = {
  start: (s) => s.recv(),
  out: (n) => (n === null ? Done : n),
  fail: rethrow,
  release: closeIfAble,
};

/**
 * Arrivals of a signal: each value is the number of arrivals coalesced since the previous one.
 * Ends when the signal listener is closed; dropping the stream closes it (the default action
 * comes back), unless `{ closeOnDrop: false }`.
 *
 * @example
 * ```ts
 * yield* fromSignal(signal('SIGHUP')).forEach(() => reloadConfig());
 * ```
 */
export function fromSignal(sig: SignalLike, opts: AdapterOptions = {}): Stream<number> {
  check('fromSignal', sig, 'recv');
  return new ResourceStream(sig, SIGNAL_SPEC, opts.closeOnDrop !== false);
}

// ---- listener ------------------------------------------------------------------------------

/**
 * A listener: `accept()` gives `[connection, address]`; it throws code CLOSED once closed.
 *
 * @example
 * ```ts
 * const l: ListenerLike<TcpStream> = yield* TcpListener.bind('127.0.0.1:0');
 * ```
 */
export interface ListenerLike<C, A = unknown> {
  accept(): Future<readonly [C, A]>;
  close?(): void;
}

const INCOMING_SPEC: Spec<ListenerLike<unknown>, readonly [unknown, unknown], unknown> = {
  start: (l) => l.accept(),
  out: (pair) => pair[0],
  fail: (e) => {
    if ((e as { code?: unknown })?.code === 'CLOSED') return Done;
    throw e;
  },
  release: closeIfAble,
};

/**
 * A listener's incoming connections (Tokio's `TcpListenerStream`). Ends when the listener is
 * closed; an accept error (too many open files, say) is thrown at the consumer and the stream
 * stays usable. Dropping the stream closes the listener, unless `{ closeOnDrop: false }`.
 *
 * @example
 * ```ts
 * const listener = yield* TcpListener.bind('127.0.0.1:8080');
 * yield* incoming(listener).forEachConcurrent(1000, handleClient);
 * ```
 */
export function incoming<C>(listener: ListenerLike<C>, opts: AdapterOptions = {}): Stream<C> {
  check('incoming', listener, 'accept');
  return new ResourceStream(listener, INCOMING_SPEC as Spec<ListenerLike<C>, readonly [C, unknown], C>, opts.closeOnDrop !== false);
}

// ---- lines ---------------------------------------------------------------------------------

/**
 * A buffered reader: `readLine()` gives the next line without its newline, null at EOF.
 *
 * @example
 * ```ts
 * const rd: LineReader = new BufReader(socket);
 * ```
 */
export interface LineReader {
  readLine(): Future<string | null>;
}

const LINES_SPEC: Spec<LineReader, string | null, string> = {
  start: (r) => r.readLine(),
  out: (line) => (line === null ? Done : line),
  fail: rethrow,
  release: () => {},
};

/**
 * The lines of a `BufReader` (without their line endings), ending at EOF. The reader is not
 * closed when the stream is dropped: it belongs to whoever made it.
 *
 * @example
 * ```ts
 * const rd = new BufReader(socket);
 * yield* lines(rd).takeWhile((l) => l !== 'QUIT').forEach(handleCommand);
 * ```
 */
export function lines(reader: LineReader): Stream<string> {
  check('lines', reader, 'readLine');
  return new ResourceStream(reader, LINES_SPEC, false);
}
