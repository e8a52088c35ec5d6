import { Pending, type AsyncRead, type AsyncWrite, type Context, type Poll } from '../../src/index.js';

/**
 * An in-memory `AsyncRead` with only `pollRead` (no zero-copy chunk path): it gives `chunks`
 * one by one, at most `buf.length` bytes at a time, and every other poll is Pending (it wakes
 * itself), so callers must handle Pending between any two reads.
 */
export class MemSource implements AsyncRead {
  private i = 0;
  private flip = false;
  constructor(private readonly chunks: Buffer[]) {}
  pollRead(cx: Context, buf: Uint8Array): Poll<number> {
    this.flip = !this.flip;
    if (this.flip) {
      cx.waker.wakeByRef();
      return Pending;
    }
    if (buf.length === 0) return 0;
    const c = this.chunks[this.i];
    if (c === undefined) return 0;
    const n = Math.min(c.length, buf.length);
    buf.set(c.subarray(0, n));
    if (n < c.length) this.chunks[this.i] = c.subarray(n);
    else this.i++;
    return n;
  }
}

/**
 * An in-memory `AsyncWrite` that accepts at most `max` bytes per poll and is Pending every
 * other poll; it records every byte, flushes and its shutdown.
 */
export class MemSink implements AsyncWrite {
  readonly parts: Buffer[] = [];
  writes = 0;
  flushes = 0;
  shut = false;
  private flip = false;
  constructor(private readonly max = Infinity) {}
  private gate(cx: Context): boolean {
    this.flip = !this.flip;
    if (this.flip) cx.waker.wakeByRef();
    return !this.flip;
  }
  pollWrite(cx: Context, buf: Uint8Array): Poll<number> {
    if (this.shut) throw new Error('write after shutdown');
    if (!this.gate(cx)) return Pending;
    const n = Math.min(buf.length, this.max);
    this.parts.push(Buffer.from(buf.subarray(0, n)));
    if (n > 0) this.writes++;
    return n;
  }
  pollFlush(cx: Context): Poll<void> {
    if (!this.gate(cx)) return Pending;
    this.flushes++;
    return undefined;
  }
  pollShutdown(cx: Context): Poll<void> {
    if (!this.gate(cx)) return Pending;
    this.shut = true;
    return undefined;
  }
  text(): string {
    return Buffer.concat(this.parts).toString();
  }
}
