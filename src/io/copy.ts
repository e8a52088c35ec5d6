/**
 * `copy(reader, writer)` and `copyBidirectional(a, b)`.
 * @module
 */
import { Future, Pending, type Context, type Poll } from '../future/future.js';
import type { AsyncRead, AsyncReadWrite, AsyncWrite } from './traits.js';

const READ = 0;
const WRITE = 1;
const SHUTDOWN = 2;
const DONE = 3;

/** @internal moves bytes from `r` to `w` chunk by chunk, optionally shutting `w` down at EOF. */
export class CopyFuture extends Future<number> {
  private state = READ;
  private op: Future<unknown> | null = null;
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
    for (;;) {
      switch (this.state) {
        case READ: {
          const f = (this.op ??= this.readOp());
          const v = f.poll(cx) as Buffer | null | number | typeof Pending;
          if (v === Pending) return Pending;
          this.op = null;
          let chunk: Buffer | null;
          if (typeof v === 'number') chunk = v === 0 ? null : Buffer.from(this.scratch!.subarray(0, v));
          else chunk = v;
          if (chunk === null) {
            this.state = this.shutdownAtEof && this.w.shutdown !== undefined ? SHUTDOWN : DONE;
            continue;
          }
          this.total += chunk.length;
          this.op = this.w.writeChunk !== undefined ? this.w.writeChunk(chunk) : this.w.writeAll(chunk);
          this.state = WRITE;
          continue;
        }
        case WRITE: {
          const v = this.op!.poll(cx);
          if (v === Pending) return Pending;
          this.op = null;
          this.state = READ;
          continue;
        }
        case SHUTDOWN: {
          const f = (this.op ??= this.w.shutdown!());
          const v = f.poll(cx);
          if (v === Pending) return Pending;
          this.op = null;
          this.state = DONE;
          continue;
        }
        default:
          return this.total;
      }
    }
  }

  /** True once the copy finished. */
  isDone(): boolean {
    return this.state === DONE;
  }

  private readOp(): Future<unknown> {
    const r = this.r;
    if (r.readChunk !== undefined) return r.readChunk();
    return r.read((this.scratch ??= Buffer.allocUnsafe(16 * 1024)));
  }

  override drop(): void {
    const op = this.op;
    this.op = null;
    this.state = DONE;
    op?.drop();
  }
}

/**
 * Copies everything `reader` gives to `writer` until EOF; gives the byte count. Zero-copy when
 * the reader has `readChunk` and the writer `writeChunk`. Memory is bounded by one chunk.
 *
 * @example
 * ```ts
 * const n = yield* copy(file, stream);
 * ```
 */
export function copy(reader: AsyncRead, writer: AsyncWrite): Future<number> {
  return new CopyFuture(reader, writer, false);
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
