/**
 * `copy(reader, writer)` and `copyBidirectional(a, b)` over any `AsyncRead` / `AsyncWrite`.
 *
 * Invariants: bytes arrive in order, each once; at most one chunk is held at a time, so memory
 * is bounded by one chunk plus the writer's own buffer; zero-copy when the reader has
 * `pollReadChunk` and the writer `pollWriteOwned` (two sockets), one copy otherwise. When
 * `shutdownAtEof`, the writer is shut down once the reader reached EOF (half-close forwarded).
 * Dropping the future drops the chunk in flight (not cancel-safe, like Tokio's `copy`).
 * Tested in test/net/io.test.ts and test/net/traits.test.ts.
 * @module
 */
import { Future, Pending, type Context, type Poll } from '../../future/future.js';
import type { AsyncRead, AsyncReadWrite, AsyncWrite } from '../traits.js';
import { asAsyncRead, asAsyncWrite, type FutureRead, type FutureWrite } from '../compat.js';

const READ = 0;
const WRITE = 1;
const SHUTDOWN = 2;
const DONE = 3;

/** Scratch size for readers without `pollReadChunk`: large chunks keep per-poll costs low. */
const SCRATCH = 64 * 1024;

/** @internal moves bytes from `r` to `w` chunk by chunk, optionally shutting `w` down at EOF. */
export class CopyFuture extends Future<number> {
  private state = READ;
  /** The chunk being written, and how much of it is written. */
  private chunk: Uint8Array | null = null;
  private off = 0;
  /** True when `chunk` belongs to us (handed over by `pollReadChunk`), so it may be given away. */
  private owned = false;
  private scratch: Buffer | null = null;
  /** Bytes copied so far. */
  total = 0;

  constructor(
    private readonly r: AsyncRead,
    private readonly w: AsyncWrite,
    private readonly shutdownAtEof: boolean,
  ) {
    super();
  }

  poll(cx: Context): Poll<number> {
    const r = this.r;
    const w = this.w;
    for (;;) {
      switch (this.state) {
        case READ: {
          let c: Uint8Array | null;
          if (r.pollReadChunk !== undefined) {
            const v = r.pollReadChunk(cx);
            if (v === Pending) return Pending;
            c = v;
            this.owned = true;
          } else {
            const s = (this.scratch ??= Buffer.allocUnsafe(SCRATCH));
            const n = r.pollRead(cx, s);
            if (n === Pending) return Pending;
            c = n === 0 ? null : s.subarray(0, n);
            this.owned = false;
          }
          if (c === null) {
            this.state = this.shutdownAtEof ? SHUTDOWN : DONE;
            continue;
          }
          this.total += c.length;
          this.chunk = c;
          this.off = 0;
          this.state = WRITE;
          continue;
        }
        case WRITE: {
          const c = this.chunk!;
          while (this.off < c.length) {
            const rest = this.off === 0 ? c : c.subarray(this.off);
            const n = this.owned && w.pollWriteOwned !== undefined ? w.pollWriteOwned(cx, rest) : w.pollWrite(cx, rest);
            if (n === Pending) return Pending;
            this.off += n;
          }
          this.chunk = null;
          this.state = READ;
          continue;
        }
        case SHUTDOWN: {
          if (w.pollShutdown(cx) === Pending) return Pending;
          this.state = DONE;
          continue;
        }
        default:
          return this.total;
      }
    }
  }

  /**
   * True once the copy finished.
   *
   * @example
   * ```ts
   * if (!copier.isDone()) copier.drop();
   * ```
   */
  isDone(): boolean {
    return this.state === DONE;
  }

  override drop(): void {
    this.chunk = null;
    this.state = DONE;
  }
}

/**
 * Copies everything `reader` gives to `writer` until EOF; gives the byte count. Zero-copy
 * between sockets. Memory is bounded by one chunk.
 *
 * @example
 * ```ts
 * const n = yield* copy(file, stream);
 * ```
 */
export function copy(reader: AsyncRead | FutureRead, writer: AsyncWrite | FutureWrite): Future<number> {
  return new CopyFuture(asAsyncRead(reader), asAsyncWrite(writer), false);
}

class BidiFuture extends Future<[number, number]> {
  private readonly ab: CopyFuture;
  private readonly ba: CopyFuture;
  private abDone = false;
  private baDone = false;

  constructor(a: AsyncReadWrite, b: AsyncReadWrite) {
    super();
    this.ab = new CopyFuture(a, b, true);
    this.ba = new CopyFuture(b, a, true);
  }

  poll(cx: Context): Poll<[number, number]> {
    try {
      if (!this.abDone && this.ab.poll(cx) !== Pending) this.abDone = true;
      if (!this.baDone && this.ba.poll(cx) !== Pending) this.baDone = true;
    } catch (e) {
      this.drop();
      throw e;
    }
    if (this.abDone && this.baDone) return [this.ab.total, this.ba.total];
    return Pending;
  }

  override drop(): void {
    this.ab.drop();
    this.ba.drop();
  }
}

/**
 * Copies `a` → `b` and `b` → `a` at the same time. When one side reaches EOF the other side's
 * write direction is shut down (half-close is forwarded); done when both directions are, giving
 * `[bytes a→b, bytes b→a]`. An error in either direction ends both and is thrown.
 *
 * @example
 * ```ts
 * function* proxy(client: TcpStream, upstreamAddr: string) {
 *   const upstream = yield* TcpStream.connect(upstreamAddr);
 *   const [up, down] = yield* copyBidirectional(client, upstream);
 * }
 * ```
 */
export function copyBidirectional(a: AsyncReadWrite, b: AsyncReadWrite): Future<[number, number]> {
  return new BidiFuture(a, b);
}
