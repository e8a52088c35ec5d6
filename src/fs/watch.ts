/**
 * `watch(path, { recursive })`: file-system change events (Node's `fs.watch`) as a `Stream`.
 *
 * The watcher starts when `watch` is called (so a change made right after the call is seen) and
 * is closed by `drop()` (or `using`). Events queue up to {@link WATCH_QUEUE}; beyond that new
 * events are dropped and counted in `lost`, so a consumer that stalls cannot grow memory
 * without bound. Invariants (test/fs/watch.test.ts): an event for a file created in the watched
 * directory arrives; after `drop()` the watcher is closed and the stream ends; a watch on a
 * missing path fails with `IoError` `ENOENT` at the first poll.
 * @module
 */
import * as fs from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pending, type Context } from '../future/future.js';
import { WakerSlot } from '../future/waker_slot.js';
import { pollProceed } from '../runtime/coop.js';
import { Done, Stream, type StreamPoll } from '../stream/stream.js';
import { fsError } from './error.js';

/** Most events kept for a slow consumer (Node's own watcher has no bound). */
export const WATCH_QUEUE = 4096;

/**
 * One change: `rename` (created, deleted or moved) or `change` (contents or metadata), with
 * the file name relative to the watched path when the platform reports it.
 *
 * @example
 * ```ts
 * if (ev.kind === 'rename') console.log('appeared or vanished:', ev.path);
 * ```
 */
export interface WatchEvent {
  readonly kind: 'rename' | 'change';
  /** Relative to the watched path, or null when the platform did not say. */
  readonly filename: string | null;
  /** The watched path joined with `filename` (the watched path itself when unknown). */
  readonly path: string;
}

/** Options of `watch`. */
export interface WatchOptions {
  /** Watch every subdirectory too (Linux: since Node 20). Default false. */
  recursive?: boolean;
}

/**
 * The stream `watch` returns.
 *
 * @example
 * ```ts
 * using w = watch('src', { recursive: true });
 * const ev = yield* w.next();
 * ```
 */
export class Watcher extends Stream<WatchEvent> {
  private watcher: fs.FSWatcher | null = null;
  private queue: WatchEvent[] = [];
  private head = 0;
  private error: Error | null = null;
  private closed = false;
  private readonly waker = new WakerSlot();
  /** Events dropped because the queue was full. */
  lost = 0;

  /** @internal */
  constructor(
    readonly path: string,
    opts: WatchOptions,
  ) {
    super();
    try {
      const w = fs.watch(path, { recursive: opts.recursive === true, persistent: true });
      w.on('change', (kind, name) => this.push(kind as 'rename' | 'change', name === null ? null : String(name)));
      w.on('error', (err) => {
        this.error ??= fsError(err, 'watch', path);
        this.close();
      });
      this.watcher = w;
    } catch (err) {
      this.error = fsError(err, 'watch', path);
      this.closed = true;
    }
  }

  private push(kind: 'rename' | 'change', filename: string | null): void {
    if (this.queue.length - this.head >= WATCH_QUEUE) {
      this.lost++;
      return;
    }
    this.queue.push({ kind, filename, path: filename === null ? this.path : join(this.path, filename) });
    this.waker.wake();
  }

  pollNext(cx: Context): StreamPoll<WatchEvent> {
    if (this.head < this.queue.length) {
      if (!pollProceed(cx)) return Pending;
      const ev = this.queue[this.head++]!;
      if (this.head === this.queue.length) {
        this.queue.length = 0;
        this.head = 0;
      }
      return ev;
    }
    if (this.error !== null) {
      const e = this.error;
      this.error = null;
      throw e;
    }
    if (this.closed) return Done;
    this.waker.register(cx);
    return Pending;
  }

  private close(): void {
    this.closed = true;
    const w = this.watcher;
    this.watcher = null;
    w?.close();
    this.waker.wake();
  }

  /** Closes the watcher; the stream then ends. */
  override drop(): void {
    this.queue.length = 0;
    this.head = 0;
    this.close();
  }
}

/**
 * Watches `path` (a file or a directory) for changes until the stream is dropped.
 *
 * @example
 * ```ts
 * using changes = watch('config', { recursive: true });
 * for (let ev = yield* changes.next(); ev !== undefined; ev = yield* changes.next()) reload(ev.path);
 * ```
 */
export function watch(path: string | URL, opts: WatchOptions = {}): Watcher {
  return new Watcher(typeof path === 'string' ? path : fileURLToPath(path), opts);
}
