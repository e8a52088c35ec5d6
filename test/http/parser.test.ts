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
      // The arrays each head published, as its request keeps them: later heads never change them.
      const kept: [readonly string[], readonly string[], Parsed][] = [];
      heads.forEach((h, i) => {
        const raw = render(h);
        if (raw === null) return;
        if (i === forgetAt) reused.forget();
        const fresh = parseWith(new HeadParser(16384), raw);
        assert.notEqual(reused.parse(Buffer.from(raw, 'latin1'), 0), NEED_MORE);
        const got = { method: reused.method, url: reused.url, names: [...reused.names], values: [...reused.values], contentLength: reused.contentLength, keepAlive: reused.keepAlive() };
        kept.push([reused.names, reused.values, fresh]);
        reused.reset();
        assert.deepEqual(got, fresh);
      });
      for (const [names, values, fresh] of kept) assert.deepEqual([[...names], [...values]], [fresh.names, fresh.values]);
    }),
    { numRuns: 300 },
  );
});

test('a head with the same headers as the last one shares its arrays; a different one gets new ones', () => {
  const p = new HeadParser(16384);
  const head = 'GET / HTTP/1.1\r\nHost: t\r\nAccept: */*\r\n\r\n';
  const arrays = (raw: string): [readonly string[], readonly string[]] => {
    assert.notEqual(p.parse(Buffer.from(raw, 'latin1'), 0), NEED_MORE);
    const out: [readonly string[], readonly string[]] = [p.names, p.values];
    p.reset();
    return out;
  };
  const a = arrays(head);
  const b = arrays(head.replace('GET /', 'GET /other')); // the target is not in the arrays
  assert.equal(b[0], a[0]);
  assert.equal(b[1], a[1]);
  const c = arrays(head.replace('*/*', 'text/html'));
  assert.notEqual(c[1], a[1]);
  assert.deepEqual([...a[1]], ['t', '*/*']);
  assert.deepEqual([...c[1]], ['t', 'text/html']);
  const d = arrays('GET / HTTP/1.1\r\nHost: t\r\n\r\n'); // fewer headers: not the last head's
  assert.deepEqual([...d[0]], ['Host']);
  assert.deepEqual([...c[0]], ['Host', 'Accept']);
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

test('forget() while a head is half received keeps the lines already parsed', () => {
  const p = new HeadParser(16384);
  parseWith(p, 'GET / HTTP/1.1\r\nHost: t\r\nX-A: 1\r\nX-B: 2\r\n\r\n');
  const whole = Buffer.from('GET / HTTP/1.1\r\nHost: t\r\nX-A: 1\r\nX-B: 3\r\n\r\n', 'latin1');
  const cut = whole.indexOf('X-B');
  assert.equal(p.parse(whole.subarray(0, cut), 0), NEED_MORE);
  p.forget(); // an idle sweep between two packets of a slow client
  assert.equal(p.parse(whole, 0), whole.length);
  assert.deepEqual([[...p.names], [...p.values]], [['Host', 'X-A', 'X-B'], ['t', '1', '3']]);
});

test('property: parsers fed byte ranges in turns (connections interleaving) parse as if each were alone', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(headArb, fc.integer({ min: 1, max: 40 })), { minLength: 2, maxLength: 4 }), fc.array(fc.nat(), { maxLength: 60 }), (heads, turns) => {
      const jobs = heads
        .map(([h, step]) => ({ raw: render(h), step }))
        .filter((j): j is { raw: string; step: number } => j.raw !== null)
        .map((j) => ({ buf: Buffer.from(j.raw, 'latin1'), step: j.step, fed: 0, p: new HeadParser(16384), done: null as Parsed | null }));
      // Feed each parser a growing prefix, in an order the turns choose, until all are done.
      let t = 0;
      while (jobs.some((j) => j.done === null)) {
        const open = jobs.filter((j) => j.done === null);
        const j = open[(turns[t++] ?? t) % open.length]!;
        j.fed = Math.min(j.buf.length, j.fed + j.step);
        const n = j.p.parse(j.buf.subarray(0, j.fed), 0);
        if (n === NEED_MORE) continue;
        assert.equal(n, j.buf.length);
        j.done = { method: j.p.method, url: j.p.url, names: [...j.p.names], values: [...j.p.values], contentLength: j.p.contentLength, keepAlive: j.p.keepAlive() };
      }
      for (const j of jobs) assert.deepEqual(j.done, parseWith(new HeadParser(16384), j.buf.toString('latin1')));
    }),
    { numRuns: 300 },
  );
});
