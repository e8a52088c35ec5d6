/**
 * `StreamMap<K, T>` (tokio-stream's): a keyed, changing set of streams polled as one stream of
 * `[key, item]`, so a pub/sub connection can wait on "whatever this client is subscribed to now"
 * without a forwarding task per subscription.
 *
 * Invariants (test/edge/stream_map.test.ts):
 * - At most one stream per key; `insert` under a taken key hands back the old stream (not
 *   dropped: the caller owns it again), as `remove` does.
 * - A stream that ends is removed and dropped; its end is not an item.
 * - Fairness: each poll starts one stream further than the last, so a stream that is always
 *   ready cannot starve the others.
 * - Ends (`Done`) when it holds no stream, as in Tokio; it is not fused: after an `insert` it
 *   yields again. Guard a `select` branch with `isEmpty()`.
 * - `drop()` drops every stream it holds.
 *
 * One poll visits every stream (O(n) in the streams held), as Tokio's does: the map is for the
 * handful of subscriptions one client has, not for thousands of streams.
 * @module
 */
import { Pending, type Context } from '../future/future.js';
import { Done, Stream, type StreamPoll } from './stream.js';

/**
 * A keyed set of streams merged into one stream of `[key, item]`.
 *
 * @example
 * ```ts
 * function* client(cmds: Receiver<Cmd>, out: TcpStream, hub: Hub) {
 *   using subs = new StreamMap<string, string>();
 *   for (;;) {
 *     const r = yield* select({ cmd: cmds.recv(), msg: subs.isEmpty() ? pending() : subs.next() });
 *     if (r.key === 'cmd') {
 *       if (r.value === undefined) return;
 *       if (r.value.op === 'sub') subs.insert(r.value.topic, hub.subscribe(r.value.topic));
 *       else subs.remove(r.value.topic)?.drop();
 *     } else if (r.value !== undefined) {
 *       const [topic, text] = r.value;
 *       yield* out.writeAll(`${topic}: ${text}\n`);
 *     }
 *   }
 * }
 * ```
 */
export class StreamMap<K, T> extends Stream<[K, T]> {
  private readonly keyList: K[] = [];
  private readonly streams: Stream<T>[] = [];
  private readonly index = new Map<K, number>();
  private start = 0;

  /**
   * Adds `stream` under `key`; returns the stream that was under `key`, if any (not dropped).
   *
   * @example
   * ```ts
   * subs.insert('news', hub.subscribe('news'));
   * ```
   */
  insert(key: K, stream: Stream<T>): Stream<T> | undefined {
    if (!(stream instanceof Stream)) throw new TypeError('StreamMap.insert expects a Stream');
    const i = this.index.get(key);
    if (i !== undefined) {
      const old = this.streams[i]!;
      this.streams[i] = stream;
      return old;
    }
    this.index.set(key, this.streams.length);
    this.keyList.push(key);
    this.streams.push(stream);
    return undefined;
  }

  /**
   * Removes the stream under `key` and returns it (not dropped), or `undefined`.
   *
   * @example
   * ```ts
   * subs.remove('news')?.drop();
   * ```
   */
  remove(key: K): Stream<T> | undefined {
    const i = this.index.get(key);
    if (i === undefined) return undefined;
    return this.removeAt(i);
  }

  /**
   * True when a stream is under `key`.
   *
   * @example
   * ```ts
   * if (!subs.has(topic)) subs.insert(topic, hub.subscribe(topic));
   * ```
   */
  has(key: K): boolean {
    return this.index.has(key);
  }

  /**
   * The keys of the streams held.
   *
   * @example
   * ```ts
   * yield* out.writeAll(`subscribed: ${[...subs.keys()].join(', ')}\n`);
   * ```
   */
  keys(): IterableIterator<K> {
    return this.index.keys();
  }

  /** Streams held. */
  get len(): number {
    return this.streams.length;
  }

  /**
   * True when no stream is held (polling then gives `Done`).
   *
   * @example
   * ```ts
   * const branch = subs.isEmpty() ? pending() : subs.next();
   * ```
   */
  isEmpty(): boolean {
    return this.streams.length === 0;
  }

  pollNext(cx: Context): StreamPoll<[K, T]> {
    const streams = this.streams;
    const n = streams.length;
    if (n === 0) return Done;
    const first = this.start >= n ? 0 : this.start;
    this.start = first + 1;
    let ended: number[] | null = null;
    let out: StreamPoll<[K, T]> = Pending;
    for (let k = 0; k < n; k++) {
      const i = first + k < n ? first + k : first + k - n;
      const v = streams[i]!.pollNext(cx);
      if (v === Done) (ended ??= []).push(i);
      else if (v !== Pending) {
        out = [this.keyList[i]!, v];
        break;
      }
    }
    if (ended !== null) {
      // Highest index first: a swap-remove then only ever moves a stream that is not ended.
      ended.sort((x, y) => y - x);
      for (const i of ended) this.removeAt(i).drop();
      if (out === Pending && streams.length === 0) return Done;
    }
    return out;
  }

  /** Drops every stream held. */
  override drop(): void {
    const all = this.streams.splice(0);
    this.keyList.length = 0;
    this.index.clear();
    let err: unknown = null;
    for (const s of all) {
      try {
        s.drop();
      } catch (e) {
        err ??= e;
      }
    }
    if (err !== null) throw err;
  }

  private removeAt(i: number): Stream<T> {
    const s = this.streams[i]!;
    const last = this.streams.length - 1;
    this.index.delete(this.keyList[i]!);
    if (i !== last) {
      const lk = this.keyList[last]!;
      this.streams[i] = this.streams[last]!;
      this.keyList[i] = lk;
      this.index.set(lk, i);
    }
    this.streams.pop();
    this.keyList.pop();
    return s;
  }
}
