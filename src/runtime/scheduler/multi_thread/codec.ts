/**
 * Encoding of task arguments and results into shared memory.
 *
 * Fast path: numbers, strings, booleans, null, undefined, typed arrays and ArrayBuffers are
 * copied byte for byte with a one-byte tag each. Anything else makes the whole value go through
 * V8's serializer (the structured clone algorithm, as `postMessage` uses). Either way the bytes
 * are then copied into the task slot's inline area or into a block of the shared heap: no
 * message is posted.
 * @module
 */
import { serialize, deserialize } from 'node:v8';

const T_UNDEF = 0;
const T_NULL = 1;
const T_TRUE = 2;
const T_FALSE = 3;
const T_NUM = 4;
const T_STR = 5;
const T_VIEW = 6;
const T_BUF = 7;
const T_V8 = 255;

const VIEW_CTORS = [
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
] as const;

function viewCode(v: ArrayBufferView): number {
  for (let i = 0; i < VIEW_CTORS.length; i++) if (v.constructor === VIEW_CTORS[i]) return i;
  return -1;
}

/** @internal A growable scratch buffer that values are encoded into, one per thread. */
export class Encoder {
  buf = new Uint8Array(256);
  dv = new DataView(this.buf.buffer);
  len = 0;

  private ensure(extra: number): void {
    const need = this.len + extra;
    if (need <= this.buf.length) return;
    let n = this.buf.length * 2;
    while (n < need) n *= 2;
    const b = new Uint8Array(n);
    b.set(this.buf.subarray(0, this.len));
    this.buf = b;
    this.dv = new DataView(b.buffer);
  }

  /** Encodes a list of values (task arguments). Throws what V8's serializer throws. */
  encodeList(values: readonly unknown[]): void {
    this.len = 0;
    this.ensure(2);
    this.buf[0] = values.length & 0xff;
    this.buf[1] = values.length >> 8;
    this.len = 2;
    if (values.length > 0xfeff || !this.fastAll(values)) {
      this.len = 0;
      this.slow(values);
    }
  }

  /** Encodes one value (a result). */
  encodeOne(value: unknown): void {
    this.len = 0;
    if (!this.fast(value)) {
      this.len = 0;
      this.slow(value);
    }
  }

  private slow(v: unknown): void {
    const bytes = serialize(v);
    this.ensure(1 + bytes.length);
    this.buf[0] = T_V8;
    this.buf.set(bytes, 1);
    this.len = 1 + bytes.length;
  }

  private fastAll(values: readonly unknown[]): boolean {
    for (let i = 0; i < values.length; i++) if (!this.fast(values[i])) return false;
    return true;
  }

  private fast(v: unknown): boolean {
    switch (typeof v) {
      case 'number':
        this.ensure(9);
        this.buf[this.len] = T_NUM;
        this.dv.setFloat64(this.len + 1, v, true);
        this.len += 9;
        return true;
      case 'string': {
        const n = v.length;
        this.ensure(5 + 2 * n);
        const b = this.buf;
        let p = this.len;
        b[p] = T_STR;
        this.dv.setUint32(p + 1, n, true);
        p += 5;
        for (let i = 0; i < n; i++) {
          const c = v.charCodeAt(i);
          b[p++] = c & 0xff;
          b[p++] = c >> 8;
        }
        this.len = p;
        return true;
      }
      case 'undefined':
        this.ensure(1);
        this.buf[this.len++] = T_UNDEF;
        return true;
      case 'boolean':
        this.ensure(1);
        this.buf[this.len++] = v ? T_TRUE : T_FALSE;
        return true;
      case 'object': {
        if (v === null) {
          this.ensure(1);
          this.buf[this.len++] = T_NULL;
          return true;
        }
        if (ArrayBuffer.isView(v)) {
          const code = viewCode(v);
          if (code < 0) return false;
          const n = v.byteLength;
          this.ensure(6 + n);
          this.buf[this.len] = T_VIEW;
          this.buf[this.len + 1] = code;
          this.dv.setUint32(this.len + 2, n, true);
          this.buf.set(new Uint8Array(v.buffer, v.byteOffset, n), this.len + 6);
          this.len += 6 + n;
          return true;
        }
        if (v instanceof ArrayBuffer) {
          const n = v.byteLength;
          this.ensure(5 + n);
          this.buf[this.len] = T_BUF;
          this.dv.setUint32(this.len + 1, n, true);
          this.buf.set(new Uint8Array(v), this.len + 5);
          this.len += 5 + n;
          return true;
        }
        return false;
      }
      default:
        return false;
    }
  }
}

const EMPTY = new Uint8Array(0);
const EMPTY_DV = new DataView(new ArrayBuffer(0));

/** @internal Reads values back from shared memory (copies; never keeps views on it). */
export class Decoder {
  private b: Uint8Array = EMPTY;
  private dv: DataView = EMPTY_DV;
  private p = 0;
  private end = 0;
  private readonly views = new WeakMap<ArrayBufferLike, DataView>();

  private view(mem: Uint8Array): DataView {
    let v = this.views.get(mem.buffer);
    if (v === undefined) {
      v = new DataView(mem.buffer);
      this.views.set(mem.buffer, v);
    }
    return v;
  }

  /** Decodes a list written by `encodeList` from `mem[off, off+len)`. */
  decodeList(mem: Uint8Array, off: number, len: number): unknown[] {
    if (mem[off] === T_V8 && len > 0 && this.isV8(mem, off, len)) return deserialize(mem.slice(off + 1, off + len)) as unknown[];
    this.b = mem;
    this.dv = this.view(mem);
    this.p = off + 2;
    this.end = off + len;
    const n = mem[off]! | (mem[off + 1]! << 8);
    const out = new Array<unknown>(n);
    for (let i = 0; i < n; i++) out[i] = this.item();
    this.b = EMPTY;
    this.dv = EMPTY_DV;
    return out;
  }

  /** Decodes a value written by `encodeOne`. */
  decodeOne(mem: Uint8Array, off: number, len: number): unknown {
    if (mem[off] === T_V8) return deserialize(mem.slice(off + 1, off + len));
    this.b = mem;
    this.dv = this.view(mem);
    this.p = off;
    this.end = off + len;
    const v = this.item();
    this.b = EMPTY;
    this.dv = EMPTY_DV;
    return v;
  }

  // A V8 blob is T_V8 followed by V8's version tag 0xFF; a list's 2-byte count never has a high
  // byte of 0xFF (longer lists take the V8 path).
  private isV8(mem: Uint8Array, off: number, len: number): boolean {
    return len > 1 && mem[off + 1] === 0xff;
  }

  private f64(p: number): number {
    return this.dv.getFloat64(p, true);
  }

  private u32(p: number): number {
    return this.dv.getUint32(p, true);
  }

  private item(): unknown {
    const b = this.b;
    const tag = b[this.p++];
    switch (tag) {
      case T_NUM: {
        const v = this.f64(this.p);
        this.p += 8;
        return v;
      }
      case T_STR: {
        const n = this.u32(this.p);
        let p = this.p + 4;
        let s: string;
        if (n <= 64) {
          s = '';
          for (let i = 0; i < n; i++, p += 2) s += String.fromCharCode(b[p]! | (b[p + 1]! << 8));
        } else {
          s = Buffer.from(b.slice(p, p + 2 * n).buffer).toString('utf16le');
          p += 2 * n;
        }
        this.p = p;
        return s;
      }
      case T_UNDEF:
        return undefined;
      case T_NULL:
        return null;
      case T_TRUE:
        return true;
      case T_FALSE:
        return false;
      case T_VIEW: {
        const code = b[this.p]!;
        const n = this.u32(this.p + 1);
        const start = this.p + 5;
        this.p = start + n;
        const copy = b.slice(start, start + n).buffer;
        const Ctor = VIEW_CTORS[code]!;
        return new Ctor(copy);
      }
      case T_BUF: {
        const n = this.u32(this.p);
        const start = this.p + 4;
        this.p = start + n;
        return b.slice(start, start + n).buffer;
      }
      default:
        throw new Error(`corrupt parallel payload (tag ${String(tag)} at ${this.p - 1}, end ${this.end})`);
    }
  }
}


