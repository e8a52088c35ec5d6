/**
 * `fetch`: the global fetch (undici) as kyoto futures, where dropping any of them aborts the
 * request. `yield* timeout(100, fetch(url))` really stops the HTTP exchange, and so does a lost
 * `select` branch or an aborted task, during the headers and during the body.
 *
 * Invariants (test/http/fetch.test.ts): the request starts at the first poll (a future never
 * polled sends nothing); dropping the `fetch` future, or a `text()`/`json()`/`bytes()` future,
 * or the `body` stream before it completed aborts the request's AbortController; an
 * `init.signal` the caller passes still aborts it too.
 * @module
 */
import { Future, Pending, type Context, type Poll, type Waker } from '../future/future.js';
import type { Stream } from '../stream/stream.js';
import { WebStream } from './adapters.js';

const PENDING = 0;
const OK = 1;
const ERR = 2;

/** A promise started at first poll and aborted through `ac` when dropped unsettled. */
class AbortablePromise<T> extends Future<T> {
  private state = PENDING;
  private started = false;
  private value: unknown = undefined;
  private waker: Waker | null = null;

  constructor(
    private readonly start: () => Promise<T>,
    private readonly ac: AbortController,
  ) {
    super();
  }

  poll(cx: Context): Poll<T> {
    if (this.state === OK) return this.value as T;
    if (this.state === ERR) throw this.value;
    if (!this.started) {
      this.started = true;
      this.start().then(
        (v) => this.settle(OK, v),
        (e: unknown) => this.settle(ERR, e),
      );
    }
    const w = cx.waker;
    if (this.waker === null || !this.waker.willWake(w)) this.waker = w.clone();
    return Pending;
  }

  private settle(st: number, v: unknown): void {
    this.state = st;
    this.value = v;
    const w = this.waker;
    this.waker = null;
    w?.wake();
  }

  override drop(): void {
    this.waker = null;
    if (this.started && this.state === PENDING) this.ac.abort(new Error('the kyoto future awaiting this request was dropped'));
  }
}

class AbortingBody extends WebStream {
  private ended = false;
  constructor(
    rs: ReadableStream<Uint8Array>,
    private readonly ac: AbortController,
  ) {
    super(rs);
  }
  override pollNext(cx: Context): ReturnType<WebStream['pollNext']> {
    const v = super.pollNext(cx);
    if (typeof v === 'symbol' && v !== Pending) this.ended = true;
    return v;
  }
  override drop(): void {
    if (!this.ended) this.ac.abort(new Error('the kyoto stream reading this response was dropped'));
    super.drop();
  }
}

/**
 * A response from kyoto's `fetch`: the global Response's fields, with the body as futures and
 * a kyoto stream.
 *
 * @example
 * ```ts
 * const res = yield* fetch('http://127.0.0.1:8080/users/1');
 * if (!res.ok) throw new Error(`status ${res.status}`);
 * const user = yield* res.json();
 * ```
 */
export class FetchResponse {
  private bodyStream: Stream<Uint8Array> | null = null;

  /** @internal */
  constructor(
    /** The underlying global Fetch response. */
    readonly raw: globalThis.Response,
    private readonly ac: AbortController,
  ) {}

  get status(): number {
    return this.raw.status;
  }
  get statusText(): string {
    return this.raw.statusText;
  }
  get ok(): boolean {
    return this.raw.ok;
  }
  get headers(): Headers {
    return this.raw.headers;
  }
  get url(): string {
    return this.raw.url;
  }

  /**
   * The body as text; dropping the future aborts the request.
   *
   * @example
   * ```ts
   * const html = yield* res.text();
   * ```
   */
  text(): Future<string> {
    return new AbortablePromise(() => this.raw.text(), this.ac);
  }

  /**
   * The body parsed as JSON; dropping the future aborts the request.
   *
   * @example
   * ```ts
   * const data = (yield* res.json()) as { id: number };
   * ```
   */
  json(): Future<unknown> {
    return new AbortablePromise(() => this.raw.json() as Promise<unknown>, this.ac);
  }

  /**
   * The body as bytes; dropping the future aborts the request.
   *
   * @example
   * ```ts
   * const png = yield* res.bytes();
   * ```
   */
  bytes(): Future<Uint8Array> {
    return new AbortablePromise(async () => new Uint8Array(await this.raw.arrayBuffer()), this.ac);
  }

  /**
   * The body as a kyoto stream of chunks (empty for a body-less response); dropping it before
   * its end aborts the request.
   *
   * @example
   * ```ts
   * yield* res.body.forEach((chunk) => out.push(chunk));
   * ```
   */
  get body(): Stream<Uint8Array> {
    if (this.bodyStream === null) {
      const rs = this.raw.body ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() });
      this.bodyStream = new AbortingBody(rs, this.ac);
    }
    return this.bodyStream;
  }

  /** Aborts the request (and its body). */
  abort(): void {
    this.ac.abort();
  }
}

/**
 * The global `fetch` as a kyoto future: dropping it (a `timeout`, a lost `select` branch, an
 * aborted task) aborts the HTTP request.
 *
 * @example
 * ```ts
 * const res = yield* timeout(500, fetch('http://127.0.0.1:8080/slow'));
 * console.log(res.status, yield* res.text());
 * ```
 */
export function fetch(input: string | URL | Request, init: RequestInit = {}): Future<FetchResponse> {
  const ac = new AbortController();
  const signal = init.signal ? AbortSignal.any([init.signal, ac.signal]) : ac.signal;
  return new AbortablePromise(async () => new FetchResponse(await globalThis.fetch(input, { ...init, signal }), ac), ac);
}
