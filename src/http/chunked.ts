/**
 * `BodyDecoder`: the framing of a request body, Content-Length or chunked (RFC 9112 §7.1), as a
 * resumable state machine over the connection's buffer.
 *
 * `decode(buf, off)` consumes what it can from `buf[off..]` and returns the new offset; a data
 * slice found on the way is left in `chunk` (a subarray of `buf`: zero-copy). Invariants
 * (test/http/parser.test.ts, test/http/differential.test.ts): a chunk-size line is hex digits
 * followed by optional `;ext[=value]` and CRLF, nothing else (no whitespace, no bare LF); a size
 * above 2^53 is rejected; chunk data must be followed by CRLF exactly; trailers follow the
 * header-line rules; a size line or the trailers longer than `MAX_LINE` / `maxTrailerBytes` is
 * rejected, so a malicious body costs bounded memory.
 * @module
 */
import { CR, HEX, LF, TCHAR, VCHAR_OBS } from './chars.js';
import { HttpParseError } from './errors.js';

/** Longest chunk-size line (with extensions) accepted. */
const MAX_LINE = 4096;

const S_LENGTH = 0;
const S_SIZE = 1;
const S_DATA = 2;
const S_DATA_CRLF = 3;
const S_TRAILERS = 4;
const S_DONE = 5;

function bad(msg: string): HttpParseError {
  return new HttpParseError(400, msg);
}

/**
 * Decodes one request body.
 *
 * @example
 * ```ts
 * const d = new BodyDecoder();
 * d.startChunked();
 * let off = d.decode(Buffer.from('3\r\nabc\r\n0\r\n\r\n'), 0); // d.chunk = 'abc'
 * ```
 */
export class BodyDecoder {
  private state = S_DONE;
  /** Bytes left in the body (length framing) or the current chunk. */
  private remaining = 0;
  private trailerBytes = 0;
  /** The data slice the last `decode` found, or null. */
  chunk: Buffer | null = null;
  /** Body bytes seen so far. */
  received = 0;

  constructor(readonly maxTrailerBytes = 16384) {}

  /** A body of exactly `n` bytes. */
  startLength(n: number): void {
    this.state = n === 0 ? S_DONE : S_LENGTH;
    this.remaining = n;
    this.received = 0;
    this.chunk = null;
  }

  /** A chunked body. */
  startChunked(): void {
    this.state = S_SIZE;
    this.remaining = 0;
    this.trailerBytes = 0;
    this.received = 0;
    this.chunk = null;
  }

  /** True once the whole body (and its trailers) was consumed. */
  get done(): boolean {
    return this.state === S_DONE;
  }

  /**
   * Consumes from `buf[off..]` until it finds a data slice (left in `chunk`), the body ends, or
   * the buffer runs out. Returns the offset of the first byte not consumed. Throws HttpParseError.
   */
  decode(buf: Buffer, off: number): number {
    this.chunk = null;
    const len = buf.length;
    while (off < len) {
      switch (this.state) {
        case S_LENGTH:
        case S_DATA: {
          const n = Math.min(this.remaining, len - off);
          this.chunk = buf.subarray(off, off + n);
          this.remaining -= n;
          this.received += n;
          if (this.remaining === 0) this.state = this.state === S_LENGTH ? S_DONE : S_DATA_CRLF;
          return off + n;
        }
        case S_DATA_CRLF:
          if (len - off < 2) return off;
          if (buf[off] !== CR || buf[off + 1] !== LF) throw bad('chunk data not followed by CRLF');
          off += 2;
          this.state = S_SIZE;
          break;
        case S_SIZE: {
          const lf = buf.indexOf(LF, off);
          if (lf < 0) {
            if (len - off > MAX_LINE) throw bad('chunk-size line too long');
            return off;
          }
          this.sizeLine(buf, off, lf);
          off = lf + 1;
          break;
        }
        case S_TRAILERS: {
          const lf = buf.indexOf(LF, off);
          if (lf < 0) {
            if (this.trailerBytes + len - off > this.maxTrailerBytes) throw new HttpParseError(431, 'trailers too large');
            return off;
          }
          this.trailerBytes += lf + 1 - off;
          if (this.trailerBytes > this.maxTrailerBytes) throw new HttpParseError(431, 'trailers too large');
          if (lf === off || buf[lf - 1] !== CR) throw bad('bare LF in trailers');
          if (lf - 1 === off) this.state = S_DONE;
          else trailerLine(buf, off, lf - 1);
          off = lf + 1;
          break;
        }
        default:
          return off;
      }
    }
    return off;
  }

  private sizeLine(buf: Buffer, s: number, lf: number): void {
    if (lf === s || buf[lf - 1] !== CR) throw bad('bare LF after chunk size');
    const e = lf - 1;
    let i = s;
    let size = 0;
    for (; i < e; i++) {
      const h = HEX[buf[i]!]!;
      if (h === 255) break;
      size = size * 16 + h;
      if (size > Number.MAX_SAFE_INTEGER) throw bad('chunk size too large');
    }
    if (i === s) throw bad('invalid chunk size');
    if (i < e) {
      if (buf[i] !== 0x3b) throw bad('invalid character after chunk size');
      extensions(buf, i, e);
    }
    if (size === 0) this.state = S_TRAILERS;
    else {
      this.state = S_DATA;
      this.remaining = size;
    }
  }
}

/** `;name[=token|"quoted"]` repeated; anything else is rejected. */
function extensions(buf: Buffer, i: number, e: number): void {
  while (i < e) {
    if (buf[i] !== 0x3b) throw bad('invalid chunk extension');
    const ns = ++i;
    while (i < e && TCHAR[buf[i]!] === 1) i++;
    if (i === ns) throw bad('empty chunk extension name');
    if (i < e && buf[i] === 0x3d) {
      i++;
      if (i < e && buf[i] === 0x22) {
        i++;
        while (i < e && buf[i] !== 0x22) {
          if (buf[i] === 0x5c) i++;
          else if (VCHAR_OBS[buf[i]!] === 0) throw bad('invalid character in chunk extension');
          i++;
        }
        if (i >= e) throw bad('unterminated quoted chunk extension');
        i++;
      } else {
        const vs = i;
        while (i < e && TCHAR[buf[i]!] === 1) i++;
        if (i === vs) throw bad('empty chunk extension value');
      }
    }
  }
}

function trailerLine(buf: Buffer, s: number, e: number): void {
  let i = s;
  while (i < e && buf[i] !== 0x3a) {
    if (TCHAR[buf[i]!] === 0) throw bad('invalid character in trailer name');
    i++;
  }
  if (i === s || i === e) throw bad('invalid trailer line');
  for (i++; i < e; i++) if (VCHAR_OBS[buf[i]!] === 0) throw bad('invalid character in trailer value');
}
