/**
 * Node stream interop: `fromReadable(readable)` and `toReadable(stream)`.
 * @module
 */
import { WakerSlot } from '../future/waker_slot.js';
import type { Readable, ReadableOptions } from 'node:stream';
import { builtin } from '../util/node_builtins.js';
import { Future, Pending, type Context, type Poll } from '../future/future.js';
import { Runtime } from '../runtime/runtime.js';
import type { JoinHandle } from '../runtime/task/join_handle.js';
import { pollProceed } from '../runtime/coop.js';
import { Done, Stream, type EachResult, type StreamPoll } from './stream.js';
import { describe } from './errors.js';
import { checkStream } from './basic.js';

/**
 * Options of `fromReadable`.
 *
 * @example
 * ```ts
 * fromReadable(process.stdin, { destroyOnDrop: false }); // stdin stays usable after the stream
 * ```
 */
export interface FromReadableOptions {
  /**
   * Destroy the readable when the stream is dropped before its end (default true). With false,
   * kyoto only stops reading and detaches its listeners; the readable stays paused and usable.
   */
  destroyOnDrop?: boolean;
}

const IDLE = 0;
const READING = 1;
const ENDED = 2;

class ReadableStream<T> extends Stream<T> {
  private state = IDLE;
  private readonly slot = new WakerSlot();
  private error: unknown = undefined;
  private failed = false;
  private ended = false;
  private readonly onReadable = (): void => this.wakeUp();
  private readonly onEnd = (): void => {
    this.ended = true;
    this.wakeUp();
  };
  private readonly onError = (e: unknown): void => {
    if (!this.failed) {
      this.failed = true;
      this.error = e;
    }
    this.wakeUp();
  };
  private readonly onClose = (): void => this.wakeUp();

  constructor(
    private readonly r: Readable,
    private readonly destroyOnDrop: boolean,
  ) {
    super();
  }

  private wakeUp(): void {
    this.slot.wake();
  }

  pollNext(cx: Context): StreamPoll<T> {
    const st = this.state;
    if (st === ENDED) return Done;
    const r = this.r;
    if (st === IDLE) {
      // Lazy: nothing is read before the first poll. A 'readable' listener puts the readable in
      // paused mode: Node fills its buffer up to highWaterMark and no further.
      this.state = READING;
      r.on('readable', this.onReadable);
      r.on('end', this.onEnd);
      r.on('error', this.onError);
      r.on('close', this.onClose);
    }
    if (this.failed) {
      const e = this.error;
      this.finish(false);
      throw e;
    }
    // Spend the task's budget first, so a value is never read and then held back.
    if (!pollProceed(cx)) return Pending;
    const chunk = r.read() as T | null;
    if (chunk !== null) return chunk;
    if (this.ended || r.readableEnded) {
      this.finish(false);
      return Done;
    }
    if (r.destroyed) {
      const e = (r as { errored?: unknown }).errored ?? this.error;
      this.finish(false);
      if (e !== null && e !== undefined) throw e;
      return Done;
    }
    this.slot.register(cx);
    return Pending;
  }

  private finish(destroy: boolean): void {
    if (this.state === ENDED) return;
    const wasReading = this.state === READING;
    this.state = ENDED;
    this.slot.clear();
    const r = this.r;
    if (wasReading) {
      r.off('readable', this.onReadable);
      r.off('end', this.onEnd);
      r.off('close', this.onClose);
      r.off('error', this.onError);
      // Keep a listener so a late error of an abandoned readable does not crash the process.
      if (!destroy) r.once('error', ignore);
    }
    if (destroy) {
      r.once('error', ignore);
      r.destroy();
    } else if (wasReading) r.pause();
  }

  override drop(): void {
    if (this.state === ENDED) return;
    this.finish(this.destroyOnDrop);
  }
}

function ignore(): void {}

/**
 * A stream of the chunks of a Node `Readable` (Buffers or strings, or objects in object mode),
 * read in paused mode: kyoto calls `read()` only when the consumer polls, so the readable
 * buffers at most its `highWaterMark` and a slow consumer slows the producer down. Nothing is
 * read before the first poll. Dropping the stream before the end stops reading and destroys the
 * readable (closing a file or socket); pass `{ destroyOnDrop: false }` to leave it paused instead.
 * An `'error'` event ends the stream with that error.
 *
 * @example
 * ```ts
 * const bytes = yield* fromReadable(fs.createReadStream(path)).fold(0, (n, b: Buffer) => n + b.length);
 * ```
 */
export function fromReadable<T = Buffer>(readable: Readable, opts: FromReadableOptions = {}): Stream<T> {
  if (!(readable instanceof builtin('node:stream').Readable) && typeof (readable as { read?: unknown })?.read !== 'function') {
    throw new TypeError(`fromReadable: expected a Node Readable, got ${describe(readable)}`);
  }
  return new ReadableStream<T>(readable, opts.destroyOnDrop !== false);
}

/** Pushes values into the readable until it asks to stop (backpressure) or the stream ends. */
class Pump<T> extends Future<void> {
  running = false;
  constructor(
    private readonly s: Stream<T>,
    private readonly r: Readable,
  ) {
    super();
  }
  /** @internal batch path: false once the readable is full (backpressure). */
  accept(v: T): boolean {
    return this.r.push(v);
  }
  poll(cx: Context): Poll<void> {
    const s = this.s;
    const r = this.r;
    if (r.destroyed) {
      this.running = false;
      return undefined;
    }
    let res: EachResult;
    try {
      res = s.pollEach(cx, this);
    } catch (e) {
      this.running = false;
      r.destroy(e instanceof Error ? e : new Error(String(e)));
      return undefined;
    }
    if (res === Pending) return Pending;
    this.running = false;
    if (res === Done) {
      s.drop();
      r.push(null);
    }
    // Otherwise the readable is full: stop until Node calls read() again.
    return undefined;
  }
  override drop(): void {
    this.running = false;
  }
}

/**
 * A Node `Readable` that pulls from `stream` only when its consumer reads (backpressure: at most
 * `highWaterMark` values are buffered). It is in object mode unless `options` say otherwise
 * (pass `{ objectMode: false }` for a stream of Buffers or strings). The stream is driven on the
 * current runtime, or the process's default one. Destroying the readable drops the stream; an
 * error thrown by the stream destroys the readable with that error. A `null` value cannot be
 * pushed into a Node stream (it means end), so map it first.
 *
 * @example
 * ```ts
 * toReadable(rows.map((r) => JSON.stringify(r) + '\n'), { objectMode: false }).pipe(res);
 * ```
 */
export function toReadable<T>(stream: Stream<T>, options: ReadableOptions = {}): Readable {
  checkStream('toReadable(stream)', stream);
  const rt = Runtime.tryCurrent() ?? Runtime.default();
  let pump: Pump<T> | null = null;
  let task: JoinHandle<void> | null = null;
  const readable = new (builtin('node:stream').Readable)({
    objectMode: true,
    ...options,
    read(): void {
      const p = pump as Pump<T>;
      if (p.running) return;
      p.running = true;
      const h = rt.spawnNamed('toReadable', p);
      task = h;
      h.then(undefined, (e: unknown) => {
        // Cancelled by destroy() or by a runtime shutdown: make sure the readable ends too.
        if (!readable.destroyed) readable.destroy(e instanceof Error ? e : new Error(String(e)));
      });
    },
    destroy(err, cb): void {
      try {
        // A pump waiting for the stream is cancelled with it.
        const t = task;
        task = null;
        if (t !== null && !t.isFinished()) t.abort();
        stream.drop();
        cb(err);
      } catch (e) {
        cb(e instanceof Error ? e : new Error(String(e)));
      }
    },
  });
  pump = new Pump(stream, readable);
  return readable;
}
