/**
 * The response serializer: status line and headers as one latin1 string, a fixed-size body
 * appended into the same buffer so a small response is one socket write.
 *
 * Invariants (test/http/server.test.ts): a header name must be a token and a value must not hold
 * CR, LF or other control bytes (response splitting), else a TypeError names the header; the
 * server owns framing, so user `content-length`, `transfer-encoding` and `connection` headers are
 * replaced by the ones it computes; `Date` is cached and refreshed at most once a second, as
 * node:http does (a clock read per response would cost more than the header).
 * @module
 */
import { STATUS_CODES } from 'node:http';
import { TCHAR } from './chars.js';
import { forEachHeader, type Response } from './response.js';

const BAD_VALUE = /[^\t\x20-\x7e\x80-\xff]/;

let dateLine = '';
let dateTimer: NodeJS.Timeout | null = null;

/** `Date: <now>\r\n`, refreshed once a second at most. */
export function dateHeader(): string {
  if (dateTimer === null) {
    dateLine = `Date: ${new Date().toUTCString()}\r\n`;
    dateTimer = setTimeout(clearDate, 1000 - (Date.now() % 1000));
    dateTimer.unref();
  }
  return dateLine;
}
function clearDate(): void {
  dateTimer = null;
}

const STATUS_LINES = new Map<number, string>();

/** `HTTP/1.1 <status> <reason>\r\n`, cached per status. */
export function statusLine(status: number, text: string): string {
  if (text !== '') return `HTTP/1.1 ${status} ${text}\r\n`;
  let l = STATUS_LINES.get(status);
  if (l === undefined) {
    l = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Unknown'}\r\n`;
    STATUS_LINES.set(status, l);
  }
  return l;
}

function checkName(name: string): void {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c > 255 || TCHAR[c] === 0) throw new TypeError(`invalid response header name ${JSON.stringify(name)}`);
  }
  if (name.length === 0) throw new TypeError('empty response header name');
}

/** What the serializer learned from the user's headers. */
export interface UserHeaders {
  /** Header lines (each ending CRLF). */
  text: string;
  hasContentType: boolean;
}

const OUT: UserHeaders = { text: '', hasContentType: false };

function addHeader(name: string, value: string): void {
  const n = name.length;
  if (n === 14 || n === 17 || n === 10 || n === 12 || n === 4) {
    const l = name.toLowerCase();
    if (l === 'content-length' || l === 'transfer-encoding' || l === 'connection' || l === 'date') return;
    if (l === 'content-type') OUT.hasContentType = true;
  }
  checkName(name);
  if (BAD_VALUE.test(value)) throw new TypeError(`invalid character in response header ${name}`);
  OUT.text += name + ': ' + value + '\r\n';
}

/**
 * @internal The user's header lines, validated (the result is reused: read it before the next
 * call).
 */
export function userHeaders(res: Response): UserHeaders {
  OUT.text = '';
  OUT.hasContentType = false;
  forEachHeader(res.init, addHeader);
  return OUT;
}

/** The 100 Continue interim response. */
export const CONTINUE = Buffer.from('HTTP/1.1 100 Continue\r\n\r\n', 'latin1');

/** A bare error response (parser errors, timeouts, limits), then the connection closes. */
export function errorResponse(status: number): Buffer {
  const body = STATUS_CODES[status] ?? 'Error';
  return Buffer.from(
    `${statusLine(status, '')}${dateHeader()}Connection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    'latin1',
  );
}

/** A head and a body in one buffer. */
export function headAndBody(head: string, body: string | Uint8Array | null, bodyLen: number): Buffer {
  const hl = head.length;
  const out = Buffer.allocUnsafe(hl + bodyLen);
  out.write(head, 0, hl, 'latin1');
  if (typeof body === 'string') out.write(body, hl, bodyLen, 'utf8');
  else if (body !== null) out.set(body, hl);
  return out;
}

/** A chunk of a chunked body: size line, data, CRLF, in one buffer. */
export function chunkFrame(data: Uint8Array): Buffer {
  const size = data.length.toString(16);
  const out = Buffer.allocUnsafe(size.length + 4 + data.length);
  out.write(size, 0, 'latin1');
  out[size.length] = 13;
  out[size.length + 1] = 10;
  out.set(data, size.length + 2);
  out[out.length - 2] = 13;
  out[out.length - 1] = 10;
  return out;
}

/** The last chunk of a chunked body. */
export const LAST_CHUNK = Buffer.from('0\r\n\r\n', 'latin1');
