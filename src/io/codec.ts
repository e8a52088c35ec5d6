/**
 * Codecs for `Framed`: `LinesCodec` and `LengthDelimitedCodec`.
 * @module
 */
import { IoError } from './error.js';

/** Turns buffered bytes into items. */
export interface Decoder<T> {
  /**
   * Decodes one item from the start of `src`: the item and how many bytes it used, or null if
   * `src` does not hold a whole item yet. Throw `IoError` for malformed input.
   */
  decode(src: Buffer): { item: T; consumed: number } | null;
  /** At EOF with `src` non-empty: the last item, or null (then `Framed` reports leftover bytes). */
  decodeEof?(src: Buffer): { item: T; consumed: number } | null;
}

/** Turns items into bytes. */
export interface Encoder<T> {
  encode(item: T): Buffer;
}

/** A decoder and an encoder. */
export type Codec<In, Out = In> = Decoder<In> & Encoder<Out>;

/**
 * Newline-delimited UTF-8 lines (the `\n` or `\r\n` is stripped; encode adds `\n`). Lines longer
 * than `maxLength` bytes throw `IoError` `FRAME_TOO_LONG`, so a peer cannot make the buffer grow
 * without bound.
 *
 * @example
 * ```ts
 * const framed = new Framed(stream, new LinesCodec({ maxLength: 1024 }));
 * const line = yield* framed.readFrame();
 * yield* framed.writeFrame(`echo: ${line}`);
 * ```
 */
export class LinesCodec implements Codec<string> {
  readonly maxLength: number;
  private scanned = 0;
  constructor(opts: { maxLength?: number } = {}) {
    this.maxLength = opts.maxLength ?? 64 * 1024;
    if (!(this.maxLength >= 1)) throw new RangeError(`LinesCodec maxLength must be >= 1, got ${String(opts.maxLength)}`);
  }
  decode(src: Buffer): { item: string; consumed: number } | null {
    const i = src.indexOf(0x0a, Math.min(this.scanned, src.length));
    if (i < 0) {
      if (src.length > this.maxLength) throw new IoError('FRAME_TOO_LONG', `LinesCodec: a line is longer than maxLength ${this.maxLength} bytes`);
      this.scanned = src.length;
      return null;
    }
    this.scanned = 0;
    if (i > this.maxLength) throw new IoError('FRAME_TOO_LONG', `LinesCodec: a line is longer than maxLength ${this.maxLength} bytes`);
    const end = i > 0 && src[i - 1] === 0x0d ? i - 1 : i;
    return { item: src.toString('utf8', 0, end), consumed: i + 1 };
  }
  decodeEof(src: Buffer): { item: string; consumed: number } | null {
    const d = this.decode(src);
    if (d !== null) return d;
    this.scanned = 0;
    return { item: src.toString('utf8'), consumed: src.length };
  }
  encode(item: string): Buffer {
    if (typeof item !== 'string') throw new TypeError(`LinesCodec.encode: expected a string, got ${typeof item}`);
    if (item.includes('\n')) throw new TypeError(`LinesCodec.encode: a line may not contain '\\n': ${JSON.stringify(item.slice(0, 40))}`);
    return Buffer.from(`${item}\n`, 'utf8');
  }
}

/** Options of `LengthDelimitedCodec`. */
export interface LengthDelimitedOptions {
  /** Largest frame accepted or sent (default 8 MiB). */
  maxFrameLength?: number;
  /** Bytes of the big-endian length prefix: 1, 2 or 4 (default 4). */
  lengthFieldLength?: 1 | 2 | 4;
}

/**
 * Frames prefixed by their big-endian length (4 bytes by default), as tokio-util's
 * `LengthDelimitedCodec`. Decoded frames are zero-copy views of the read buffer.
 *
 * @example
 * ```ts
 * const framed = new Framed(stream, new LengthDelimitedCodec());
 * yield* framed.writeFrame(Buffer.from('hello'));
 * const frame = yield* framed.readFrame(); // Buffer or null at EOF
 * ```
 */
export class LengthDelimitedCodec implements Codec<Buffer, Uint8Array> {
  readonly maxFrameLength: number;
  readonly lengthFieldLength: 1 | 2 | 4;
  constructor(opts: LengthDelimitedOptions = {}) {
    this.maxFrameLength = opts.maxFrameLength ?? 8 * 1024 * 1024;
    this.lengthFieldLength = opts.lengthFieldLength ?? 4;
    if (![1, 2, 4].includes(this.lengthFieldLength)) throw new RangeError(`lengthFieldLength must be 1, 2 or 4, got ${String(opts.lengthFieldLength)}`);
    if (!(this.maxFrameLength >= 0)) throw new RangeError(`maxFrameLength must be >= 0, got ${String(opts.maxFrameLength)}`);
  }
  decode(src: Buffer): { item: Buffer; consumed: number } | null {
    const h = this.lengthFieldLength;
    if (src.length < h) return null;
    const len = h === 4 ? src.readUInt32BE(0) : h === 2 ? src.readUInt16BE(0) : src.readUInt8(0);
    if (len > this.maxFrameLength) throw new IoError('FRAME_TOO_LONG', `LengthDelimitedCodec: frame of ${len} bytes exceeds maxFrameLength ${this.maxFrameLength}`);
    if (src.length < h + len) return null;
    return { item: src.subarray(h, h + len), consumed: h + len };
  }
  encode(item: Uint8Array): Buffer {
    const h = this.lengthFieldLength;
    const len = item.length;
    if (len > this.maxFrameLength || len >= 2 ** (8 * h)) {
      throw new IoError('FRAME_TOO_LONG', `LengthDelimitedCodec: frame of ${len} bytes exceeds maxFrameLength ${this.maxFrameLength} or the ${h}-byte length field`);
    }
    const out = Buffer.allocUnsafe(h + len);
    if (h === 4) out.writeUInt32BE(len, 0);
    else if (h === 2) out.writeUInt16BE(len, 0);
    else out.writeUInt8(len, 0);
    out.set(item, h);
    return out;
  }
}
