/**
 * `HeadParser`: kyoto's byte-level HTTP/1.1 request-head parser, as strict as llhttp (Node's).
 *
 * It is resumable at line granularity: `parse(buf, start)` continues from the last complete line
 * it saw, so a head that trickles in byte by byte costs linear time. A head is rejected with a
 * `HttpParseError` (the server answers its status and closes) for: an unknown or lowercase
 * method, anything but SP between the parts of the request line, a request-target with
 * control bytes, SP or DEL, a version other than HTTP/1.0 or HTTP/1.1, a bare LF or bare CR,
 * obs-fold, a header name that is not a token (including SP before the colon), a control byte
 * in a value, Content-Length that is not all digits or appears twice, Transfer-Encoding together
 * with Content-Length, Transfer-Encoding whose last coding is not `chunked`, an HTTP/1.1 request
 * without Host (400), and a head larger than `maxHeaderBytes` (431).
 *
 * Why a hand-written parser rather than llhttp: Node does not expose llhttp to user code
 * (`process.binding('http_parser')` is deprecated and private), a wasm llhttp pays a copy into
 * wasm memory and a callback per header, and a parse over Buffer bytes with one table load per
 * byte and latin1 slices for strings keeps the hot path allocation-light. The differential suite
 * (test/http/differential.test.ts) holds its verdicts to node:http's.
 *
 * Strings of the previous head are reused: a keep-alive client sends the same method, target and
 * header lines again and again, and comparing a line's bytes with the string it gave last time
 * costs a fraction of cutting a new one (a latin1 slice is a native call, ~80 ns). The method,
 * target, and each header name and value are compared with those at the same place in the last
 * head; equal bytes give the same string (test/http/parser.test.ts). A head whose headers all
 * equal the last head's gets the last head's `names` / `values` arrays themselves (published
 * arrays are never written again; a parse collects headers in scratch arrays shared by the
 * thread's parsers). `forget()` drops them (the
 * server's sweeper does, for connections idle a while, so an idle connection keeps no head).
 * @module
 */
import { COLON, CR, HT, LF, SP, TCHAR, URL_CHAR, VCHAR_OBS, latin1 } from './chars.js';
import { HttpParseError } from './errors.js';
import { METHODS } from 'node:http';

const METHOD_SET: ReadonlySet<string> = new Set(METHODS);

/** `parse` result: the head is not complete yet. */
export const NEED_MORE = -1;

/** Largest Content-Length accepted (beyond it, lengths lose precision as numbers). */
const MAX_LENGTH = Number.MAX_SAFE_INTEGER;

/** Connection-header flags. */
export const CONN_CLOSE = 1;
export const CONN_KEEP_ALIVE = 2;
export const CONN_UPGRADE = 4;

const NONE: readonly string[] = [];

/**
 * Where every parser of this thread collects a head's headers during one `parse` call (a parse
 * is synchronous; a head left half-received is copied out), so a connection keeps no arrays
 * of its own beyond the last head's.
 */
const SCRATCH_NAMES: string[] = [];
const SCRATCH_VALUES: string[] = [];

/** The header names `special` acts on, by length (each length has one). */
const SPECIAL_BY_LENGTH: (string | undefined)[] = [];
for (const n of ['host', 'expect', 'upgrade', 'connection', 'content-length', 'transfer-encoding']) SPECIAL_BY_LENGTH[n.length] = n;

/** True when `buf[s..]` holds `lower` in any case (a header name: letters, digits, '-'...). */
function isNameOf(buf: Buffer, s: number, lower: string): boolean {
  for (let i = 0; i < lower.length; i++) if ((buf[s + i]! | 0x20) !== lower.charCodeAt(i)) return false;
  return true;
}

/** True when `buf[s..e)` holds exactly the latin1 characters of `str`. */
function same(buf: Buffer, s: number, e: number, str: string): boolean {
  if (e - s !== str.length) return false;
  for (let i = 0; i < str.length; i++) if (buf[s + i] !== str.charCodeAt(i)) return false;
  return true;
}

function bad(msg: string): HttpParseError {
  return new HttpParseError(400, msg);
}

/**
 * Parses one request head at a time; `reset()` before the next.
 *
 * @example
 * ```ts
 * const p = new HeadParser(16384);
 * const n = p.parse(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), 0); // head length, or NEED_MORE
 * p.method; // 'GET'
 * ```
 */
export class HeadParser {
  method = '';
  url = '';
  /** 0 for HTTP/1.0, 1 for HTTP/1.1. */
  minor = 1;
  /**
   * Header names as sent and their values, index by index, once a head is complete. Never
   * mutated: a head with the same headers as the previous one gets the previous arrays.
   */
  names: readonly string[] = NONE;
  values: readonly string[] = NONE;
  /** -1 when absent. */
  contentLength = -1;
  chunked = false;
  /** CONN_* bits from the Connection header. */
  connection = 0;
  expectContinue = false;
  hasUpgrade = false;
  private hasTE = false;
  private hasHost = false;
  /** Offset (from the head's start) of the first byte not yet parsed into a line. */
  private scan = 0;
  private inHeaders = false;
  /** The previous head's strings, reused when the same bytes come again. */
  private lastNames: readonly string[] = NONE;
  private lastValues: readonly string[] = NONE;
  private lastUrl = '';
  /** Headers of the head being parsed so far (in the shared scratch arrays during a parse). */
  private count = 0;
  /** A half-received head's headers, kept while other connections use the scratch arrays. */
  private partialNames: string[] | null = null;
  private partialValues: string[] | null = null;
  /** Every header so far is the previous head's, at the same index. */
  private allSame = true;

  constructor(readonly maxHeaderBytes: number) {}

  /** Forgets the last head (its strings are kept to be reused by the next one, see above). */
  reset(): void {
    this.lastNames = this.names;
    this.lastValues = this.values;
    this.lastUrl = this.url;
    this.names = NONE;
    this.url = '';
    this.values = NONE;
    this.count = 0;
    this.allSame = true;
    this.contentLength = -1;
    this.chunked = false;
    this.connection = 0;
    this.expectContinue = false;
    this.hasUpgrade = false;
    this.hasTE = false;
    this.hasHost = false;
    this.scan = 0;
    this.inHeaders = false;
  }

  /** Drops the strings kept from the last head (an idle connection keeps none). */
  forget(): void {
    this.lastNames = NONE;
    this.lastValues = NONE;
    this.lastUrl = '';
  }

  /** Bytes of the head seen so far (for the slow-client check). */
  get scanned(): number {
    return this.scan;
  }

  /**
   * Parses the head starting at `buf[start]`: its length in bytes once complete, else NEED_MORE.
   * Throws HttpParseError.
   */
  parse(buf: Buffer, start: number): number {
    const limit = this.maxHeaderBytes;
    const pn = this.partialNames;
    if (pn !== null) {
      // Resuming a half-received head: its headers so far back into the scratch arrays.
      const pv = this.partialValues as string[];
      for (let i = 0; i < pn.length; i++) {
        SCRATCH_NAMES[i] = pn[i]!;
        SCRATCH_VALUES[i] = pv[i]!;
      }
      this.partialNames = null;
      this.partialValues = null;
    }
    for (;;) {
      const lineStart = start + this.scan;
      // A byte loop beats Buffer#indexOf's argument dispatch on header-sized lines.
      const len = buf.length;
      let lf = lineStart;
      while (lf < len && buf[lf] !== LF) lf++;
      if (lf === len) {
        if (buf.length - start > limit) throw new HttpParseError(431, `request head is larger than maxHeaderBytes (${limit})`);
        const k = this.count;
        if (k > 0) {
          this.partialNames = SCRATCH_NAMES.slice(0, k);
          this.partialValues = SCRATCH_VALUES.slice(0, k);
        }
        return NEED_MORE;
      }
      if (lf + 1 - start > limit) throw new HttpParseError(431, `request head is larger than maxHeaderBytes (${limit})`);
      if (lf === lineStart || buf[lf - 1] !== CR) throw bad('bare LF: lines must end with CRLF');
      const end = lf - 1;
      this.scan = lf + 1 - start;
      if (!this.inHeaders) {
        if (end === lineStart) continue; // empty lines before the request line are skipped, as llhttp does
        this.requestLine(buf, lineStart, end);
        this.inHeaders = true;
        continue;
      }
      if (end === lineStart) return this.finish(lf + 1 - start);
      this.headerLine(buf, lineStart, end);
    }
  }

  private requestLine(buf: Buffer, s: number, e: number): void {
    let i = s;
    while (i < e && buf[i] !== SP) {
      const b = buf[i]!;
      if (!((b >= 0x41 && b <= 0x5a) || b === 0x2d)) throw bad('invalid method');
      i++;
    }
    const last = this.method;
    if (last === '' || !same(buf, s, i, last)) {
      const method = latin1(buf, s, i);
      if (!METHOD_SET.has(method)) throw bad(`unknown method ${JSON.stringify(method)}`);
      this.method = method;
    }
    while (i < e && buf[i] === SP) i++; // llhttp accepts a run of SP between the parts
    const u = i;
    while (i < e && buf[i] !== SP) {
      if (URL_CHAR[buf[i]!] === 0) throw bad('invalid character in request-target');
      i++;
    }
    if (i === u) throw bad('empty request-target');
    if (i === e) throw bad('missing HTTP version');
    this.url = same(buf, u, i, this.lastUrl) ? this.lastUrl : latin1(buf, u, i);
    while (i < e && buf[i] === SP) i++;
    // "HTTP/1.x" exactly, to the end of the line.
    if (
      e - i !== 8 ||
      buf[i] !== 0x48 ||
      buf[i + 1] !== 0x54 ||
      buf[i + 2] !== 0x54 ||
      buf[i + 3] !== 0x50 ||
      buf[i + 4] !== 0x2f ||
      buf[i + 5] !== 0x31 ||
      buf[i + 6] !== 0x2e
    ) {
      throw bad('invalid HTTP version');
    }
    const minor = buf[i + 7]!;
    if (minor !== 0x30 && minor !== 0x31) throw bad('unsupported HTTP version');
    this.minor = minor - 0x30;
  }

  private headerLine(buf: Buffer, s: number, e: number): void {
    const first = buf[s]!;
    if (first === SP || first === HT) throw bad('obs-fold (a header line starting with whitespace) is not allowed');
    let i = s;
    while (i < e && buf[i] !== COLON) {
      if (TCHAR[buf[i]!] === 0) throw bad('invalid character in header name');
      i++;
    }
    if (i === e) throw bad('header line without a colon');
    if (i === s) throw bad('empty header name');
    const nameEnd = i++;
    while (i < e && (buf[i] === SP || buf[i] === HT)) i++;
    const vs = i;
    let ve = i;
    for (; i < e; i++) {
      const b = buf[i]!;
      if (VCHAR_OBS[b] === 0) throw bad('invalid character in header value');
      if (b !== SP && b !== HT) ve = i + 1;
    }
    const k = this.count;
    let name: string;
    let value: string;
    const ln = this.lastNames[k];
    if (ln !== undefined && same(buf, s, nameEnd, ln)) {
      name = ln;
      const lv = this.lastValues[k]!;
      if (same(buf, vs, ve, lv)) value = lv;
      else {
        value = latin1(buf, vs, ve);
        this.allSame = false;
      }
    } else {
      name = latin1(buf, s, nameEnd);
      value = latin1(buf, vs, ve);
      this.allSame = false;
    }
    SCRATCH_NAMES[k] = name;
    SCRATCH_VALUES[k] = value;
    this.count = k + 1;
    // Each special name has a length of its own: compare the bytes with it, case-insensitively.
    const cand = SPECIAL_BY_LENGTH[nameEnd - s];
    if (cand !== undefined && isNameOf(buf, s, cand)) this.special(cand, value);
  }

  private special(name: string, value: string): void {
    switch (name) {
      case 'host':
        this.hasHost = true;
        return;
      case 'content-length': {
        if (this.contentLength !== -1) throw bad('duplicate Content-Length');
        if (value.length === 0) throw bad('empty Content-Length');
        let n = 0;
        for (let i = 0; i < value.length; i++) {
          const d = value.charCodeAt(i) - 0x30;
          if (d < 0 || d > 9) throw bad('invalid Content-Length');
          n = n * 10 + d;
          if (n > MAX_LENGTH) throw bad('Content-Length too large');
        }
        this.contentLength = n;
        return;
      }
      case 'transfer-encoding': {
        this.hasTE = true;
        const comma = value.lastIndexOf(',');
        const last = (comma < 0 ? value : value.slice(comma + 1)).trim().toLowerCase();
        this.chunked = last === 'chunked';
        return;
      }
      case 'connection':
        for (const tok of value.toLowerCase().split(',')) {
          const t = tok.trim();
          if (t === 'close') this.connection |= CONN_CLOSE;
          else if (t === 'keep-alive') this.connection |= CONN_KEEP_ALIVE;
          else if (t === 'upgrade') this.connection |= CONN_UPGRADE;
        }
        return;
      case 'expect':
        if (value.toLowerCase() === '100-continue') this.expectContinue = true;
        return;
      case 'upgrade':
        this.hasUpgrade = true;
        return;
    }
  }

  private finish(len: number): number {
    if (this.hasTE) {
      if (this.contentLength !== -1) throw bad('Content-Length together with Transfer-Encoding (request smuggling)');
      if (!this.chunked) throw bad('Transfer-Encoding of a request must end with chunked');
    }
    if (this.minor === 1 && !this.hasHost) throw bad('HTTP/1.1 request without a Host header');
    const k = this.count;
    if (this.allSame && k === this.lastNames.length) {
      this.names = this.lastNames;
      this.values = this.lastValues;
    } else {
      this.names = SCRATCH_NAMES.slice(0, k);
      this.values = SCRATCH_VALUES.slice(0, k);
    }
    return len;
  }

  /** True when the connection stays open after this request (HTTP/1.1 default, 1.0 opt-in). */
  keepAlive(): boolean {
    const c = this.connection;
    return this.minor === 1 ? (c & CONN_CLOSE) === 0 : (c & CONN_KEEP_ALIVE) !== 0 && (c & CONN_CLOSE) === 0;
  }
}
