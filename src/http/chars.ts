/**
 * Byte classes of HTTP/1.1 (RFC 9110 / 9112) as 256-entry tables, the way llhttp checks them:
 * one indexed load per byte on the parser's hot path.
 *
 * Invariants (test/http/parser.test.ts): `TCHAR` is exactly RFC 9110's tchar; `VCHAR_OBS` allows
 * HTAB, SP..'~' and obs-text (0x80-0xFF) but no other control byte and no DEL; `URL_CHAR` is visible
 * ASCII ('!'..'~').
 * @module
 */

function table(pred: (b: number) => boolean): Uint8Array {
  const t = new Uint8Array(256);
  for (let b = 0; b < 256; b++) t[b] = pred(b) ? 1 : 0;
  return t;
}

const TCHAR_SYMBOLS = "!#$%&'*+-.^_`|~";

/** tchar: the bytes of a token (method, header name, chunk-extension name). */
export const TCHAR = table(
  (b) => (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || TCHAR_SYMBOLS.includes(String.fromCharCode(b)),
);

/** A header value byte: HTAB, visible ASCII, SP, obs-text. */
export const VCHAR_OBS = table((b) => b === 0x09 || (b >= 0x20 && b <= 0x7e) || b >= 0x80);

/** A request-target byte (llhttp's strict URL check): visible ASCII only. */
export const URL_CHAR = table((b) => b > 0x20 && b < 0x7f);

/** Hex digit value, or 255. */
export const HEX = (() => {
  const t = new Uint8Array(256).fill(255);
  for (let i = 0; i < 10; i++) t[0x30 + i] = i;
  for (let i = 0; i < 6; i++) {
    t[0x41 + i] = 10 + i;
    t[0x61 + i] = 10 + i;
  }
  return t;
})();

export const CR = 13;
export const LF = 10;
export const SP = 32;
export const HT = 9;
export const COLON = 58;

/** Latin-1 decoding without the `toString` dispatch (Node's own fast path for one-byte text). */
export function latin1(buf: Buffer, start: number, end: number): string {
  return (buf as unknown as { latin1Slice(s: number, e: number): string }).latin1Slice(start, end);
}
