// HeadParser reuses the strings of the previous head when the same bytes come again
// (src/http/parser.ts): reuse must never change what is parsed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { HeadParser, NEED_MORE } from '../../src/http/index.js';

interface Parsed {
  method: string;
  url: string;
  names: string[];
  values: string[];
  contentLength: number;
  keepAlive: boolean;
}

function parseWith(p: HeadParser, head: string): Parsed {
  const n = p.parse(Buffer.from(head, 'latin1'), 0);
  assert.notEqual(n, NEED_MORE);
  const out = { method: p.method, url: p.url, names: [...p.names], values: [...p.values], contentLength: p.contentLength, keepAlive: p.keepAlive() };
  p.reset();
  return out;
}

const METHODS = ['GET', 'PUT', 'POST', 'HEAD', 'DELETE'];
const NAMES = ['Host', 'host', 'X-A', 'X-B', 'Accept', 'Connection', 'Content-Length', 'Cookie'];
const VALUES = ['', 'a', 'b', 'ab', 'ba', '127.0.0.1:8080', '127.0.0.1:8081', 'close', 'keep-alive', '12', '21'];

const headArb = fc.record({
  method: fc.constantFrom(...METHODS),
  url: fc.constantFrom('/', '/a', '/b', '/ab', '/a?x=1', '*'),
  headers: fc.array(fc.tuple(fc.constantFrom(...NAMES), fc.constantFrom(...VALUES)), { maxLength: 5 }),
});

function render(h: { method: string; url: string; headers: [string, string][] }): string | null {
  const lengths = h.headers.filter(([n]) => n === 'Content-Length');
  if (lengths.length > 1 || lengths.some(([, v]) => !/^\d+$/.test(v))) return null; // rejected heads are another test's
  return `${h.method} ${h.url} HTTP/1.1\r\nHost: t\r\n${h.headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`;
}

test('property: one parser over a sequence of heads gives what a fresh parser gives for each', () => {
  fc.assert(
    fc.property(fc.array(headArb, { minLength: 1, maxLength: 12 }), fc.integer({ min: 0, max: 12 }), (heads, forgetAt) => {
      const reused = new HeadParser(16384);
      heads.forEach((h, i) => {
        const raw = render(h);
        if (raw === null) return;
        if (i === forgetAt) reused.forget();
        assert.deepEqual(parseWith(reused, raw), parseWith(new HeadParser(16384), raw));
      });
    }),
    { numRuns: 300 },
  );
});

test('a head that differs from the last one in one byte gets its own strings', () => {
  const p = new HeadParser(16384);
  const a = parseWith(p, 'GET /a HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nX-A: 1\r\n\r\n');
  const b = parseWith(p, 'GET /b HTTP/1.1\r\nHost: 127.0.0.1:8081\r\nX-a: 1\r\n\r\n');
  const c = parseWith(p, 'PUT /b HTTP/1.1\r\nHost: 127.0.0.1:8081\r\nX-a: 1\r\n\r\n');
  assert.deepEqual([a.url, a.values[0], a.names[1]], ['/a', '127.0.0.1:8080', 'X-A']);
  assert.deepEqual([b.url, b.values[0], b.names[1]], ['/b', '127.0.0.1:8081', 'X-a']);
  assert.equal(c.method, 'PUT');
});

test('a method the last head had is still checked when the bytes differ, and an empty one is rejected', () => {
  const p = new HeadParser(16384);
  parseWith(p, 'GET / HTTP/1.1\r\nHost: t\r\n\r\n');
  assert.throws(() => p.parse(Buffer.from('GOT / HTTP/1.1\r\nHost: t\r\n\r\n'), 0), /unknown method/);
  const fresh = new HeadParser(16384);
  assert.throws(() => fresh.parse(Buffer.from(' / HTTP/1.1\r\nHost: t\r\n\r\n'), 0), /method|request-target/);
});
