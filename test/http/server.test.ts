import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Runtime, fromIterable, fromPromise, run, sleep, timeout, type Gen } from '../../src/index.js';
import { Response, serve, type HttpRequest } from '../../src/http/index.js';
import { echoUpperUntilDot, rawExchange, statuses } from './helpers.js';

const H = 'Host: t\r\n';

function* echo(req: HttpRequest): Gen<Response> {
  const body = yield* req.text();
  return Response.json({ m: req.method, p: req.path, t: req.target, v: req.httpVersion, body, ct: req.headers.get('CONTENT-TYPE'), has: req.headers.has('x-a'), url: req.url });
}

function bodies(out: string): string[] {
  return out.split(/HTTP\/1\.1 \d{3} [^\r]*\r\n/).slice(1).map((r) => r.slice(r.indexOf('\r\n\r\n') + 4));
}

test('keep-alive and pipelining: responses in order on one connection; headers are case-insensitive', async () => {
  await run(function* () {
    const srv = yield* serve({ port: 0 }, echo);
    const raw =
      `GET /one?x=1 HTTP/1.1\r\n${H}X-A: 1\r\n\r\n` +
      `POST /two HTTP/1.1\r\n${H}Content-Type: text/plain\r\nContent-Length: 3\r\n\r\nabc` +
      `POST /three HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n2\r\nde\r\n1\r\nf\r\n0\r\n\r\n` +
      `GET /four HTTP/1.1\r\n${H}Connection: close\r\n\r\n`;
    const out = yield* fromPromise(rawExchange(srv.port, raw));
    assert.deepEqual(statuses(out), [200, 200, 200, 200]);
    const got = out.split('HTTP/1.1 ').slice(1).map((r) => JSON.parse(r.slice(r.indexOf('\r\n\r\n') + 4).split('HTTP/')[0]!) as Record<string, unknown>);
    assert.deepEqual(got.map((g) => g['p']), ['/one', '/two', '/three', '/four']);
    assert.equal(got[0]!['t'], '/one?x=1');
    assert.equal(got[0]!['has'], true);
    assert.equal(got[0]!['url'], 'http://t/one?x=1');
    assert.equal(got[1]!['body'], 'abc');
    assert.equal(got[1]!['ct'], 'text/plain');
    assert.equal(got[2]!['body'], 'def');
    assert.match(out, /Connection: close\r\n/);
    assert.equal(srv.metrics().statuses[200], 4);
    yield* srv.shutdown({ graceMs: 100 });
  });
});

test('HTTP/1.0 closes by default, HEAD has no body, 204 has no length', async () => {
  function* h(req: HttpRequest): Gen<Response> {
    if (req.path === '/empty') return new Response(null, { status: 204 });
    return new Response('hello world');
  }
  await run(function* () {
    const srv = yield* serve({ port: 0 }, h);
    const old = yield* fromPromise(rawExchange(srv.port, 'GET / HTTP/1.0\r\n\r\n'));
    assert.match(old, /^HTTP\/1\.1 200 OK\r\n/);
    assert.match(old, /Connection: close\r\n/);
    assert.ok(old.endsWith('hello world'));
    const head = yield* fromPromise(rawExchange(srv.port, `HEAD / HTTP/1.1\r\n${H}\r\nGET /empty HTTP/1.1\r\n${H}Connection: close\r\n\r\n`));
    assert.deepEqual(statuses(head), [200, 204]);
    assert.match(head, /Content-Length: 11\r\n/);
    assert.ok(!head.includes('hello world'));
    assert.ok(!/204 No Content\r\n[^]*Content-Length/.test(head));
    yield* srv.shutdown({ graceMs: 100 });
  });
});

test('response bodies: bytes, a kyoto stream (chunked), an AsyncRead, a global Fetch Response', async () => {
  function* h(req: HttpRequest): Gen<Response | globalThis.Response> {
    switch (req.path) {
      case '/bytes':
        return new Response(Buffer.from('raw-bytes'), { headers: [['x-k', 'v']] });
      case '/stream':
        return new Response(fromIterable(['a', 'bb', 'ccc'].map((s) => Buffer.from(s))));
      case '/reader': {
        const chunks = [Buffer.from('r1'), Buffer.from('r2')];
        return new Response({ pollRead: (_cx, buf) => { const c = chunks.shift(); if (c === undefined) return 0; buf.set(c); return c.length; } });
      }
      default:
        return new globalThis.Response('from fetch', { status: 201, headers: { 'x-f': '1' } });
    }
  }
  await run(function* () {
    const srv = yield* serve({ port: 0 }, h);
    const base = `http://127.0.0.1:${srv.port}`;
    const b = yield* fromPromise(globalThis.fetch(`${base}/bytes`));
    assert.equal(b.headers.get('x-k'), 'v');
    assert.equal(yield* fromPromise(b.text()), 'raw-bytes');
    const s = yield* fromPromise(globalThis.fetch(`${base}/stream`));
    assert.equal(s.headers.get('transfer-encoding'), 'chunked');
    assert.equal(yield* fromPromise(s.text()), 'abbccc');
    const r = yield* fromPromise(globalThis.fetch(`${base}/reader`));
    assert.equal(yield* fromPromise(r.text()), 'r1r2');
    const f = yield* fromPromise(globalThis.fetch(`${base}/fetch`));
    assert.equal(f.status, 201);
    assert.equal(f.headers.get('x-f'), '1');
    assert.equal(yield* fromPromise(f.text()), 'from fetch');
    yield* srv.shutdown({ graceMs: 100 });
  });
});

test('a thrown error is a 500 and goes to onUnhandledTaskError; the task is named METHOD /path', async () => {
  const reported: [unknown, string][] = [];
  const rt = new Runtime({ onUnhandledTaskError: (e, t) => reported.push([e, t.name]) });
  function* boom(req: HttpRequest): Gen<Response> {
    yield* sleep(1);
    throw new Error(`boom at ${req.path}`);
  }
  await rt.blockOn(function* () {
    const srv = yield* serve({ port: 0 }, boom);
    const out = yield* fromPromise(rawExchange(srv.port, `GET /bad?q HTTP/1.1\r\n${H}Connection: close\r\n\r\n`));
    assert.deepEqual(statuses(out), [500]);
    yield* srv.shutdown({ graceMs: 100 });
  });
  assert.equal(reported.length, 1);
  assert.equal((reported[0]![0] as Error).message, 'boom at /bad');
  assert.equal(reported[0]![1], 'GET /bad');
  await rt.shutdown();
});

test('Expect: 100-continue is answered when the handler reads the body, not before', async () => {
  function* h(req: HttpRequest): Gen<Response> {
    if (req.path === '/skip') return new Response('not reading');
    return new Response(`got ${yield* req.text()}`);
  }
  await run(function* () {
    const srv = yield* serve({ port: 0 }, h);
    const read = yield* fromPromise(rawExchange(srv.port, `POST /read HTTP/1.1\r\n${H}Expect: 100-continue\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok`));
    assert.deepEqual(statuses(read), [100, 200]);
    assert.ok(read.endsWith('got ok'));
    const skip = yield* fromPromise(rawExchange(srv.port, `POST /skip HTTP/1.1\r\n${H}Expect: 100-continue\r\nContent-Length: 2\r\n\r\n`));
    assert.deepEqual(statuses(skip), [200]);
    assert.match(skip, /Connection: close/);
    yield* srv.shutdown({ graceMs: 100 });
  });
});

test('toRequest gives a Fetch Request; response header injection is refused', async () => {
  function* h(req: HttpRequest): Gen<Response> {
    if (req.path === '/inject') return new Response('x', { headers: { 'x-bad': 'a\r\nSet-Cookie: evil' } });
    const r = req.toRequest();
    const text = yield* fromPromise(r.text());
    return Response.json({ method: r.method, url: r.url, a: r.headers.get('x-a'), text });
  }
  await run(function* () {
    const srv = yield* serve({ port: 0 }, h);
    const res = yield* fromPromise(globalThis.fetch(`http://127.0.0.1:${srv.port}/req?q=1`, { method: 'POST', headers: { 'x-a': 'A' }, body: 'payload' }));
    assert.deepEqual(yield* fromPromise(res.json()), { method: 'POST', url: `http://127.0.0.1:${srv.port}/req?q=1`, a: 'A', text: 'payload' });
    const bad = yield* fromPromise(rawExchange(srv.port, `GET /inject HTTP/1.1\r\n${H}Connection: close\r\n\r\n`));
    assert.deepEqual(statuses(bad), [500]);
    assert.ok(!bad.includes('evil'));
    yield* srv.shutdown({ graceMs: 100 });
  });
});

test('serve rejects unknown or invalid options by name', () => {
  assert.throws(() => serve({ prot: 1 } as never, echo), /unknown option "prot"/);
  assert.throws(() => serve({ maxBodyBytes: -1 }, echo), /maxBodyBytes/);
});

void bodies;

test('req.upgrade(): 101, then the handler owns the TcpStream (bytes after the head included)', async () => {
  function* h(req: HttpRequest): Gen<Response> {
    const s = yield* req.upgrade({ upgrade: 'echo', connection: 'Upgrade' });
    yield* echoUpperUntilDot(s);
    return new Response(null);
  }
  await run(function* () {
    const srv = yield* serve({ port: 0 }, h);
    const out = yield* fromPromise(rawExchange(srv.port, `GET /ws HTTP/1.1\r\n${H}Connection: Upgrade\r\nUpgrade: echo\r\n\r\nhello.`));
    assert.match(out, /^HTTP\/1\.1 101 Switching Protocols\r\nupgrade: echo\r\nconnection: Upgrade\r\n\r\n/);
    assert.ok(out.endsWith('HELLO.'), out);
    yield* srv.shutdown({ graceMs: 100 });
  });
});

test('the console lists the server as an http-server resource with counts by status', async () => {
  const { listResources } = await import('../../src/index.js');
  const { resourceRegistry } = await import('../../src/runtime/resources.js');
  const was = resourceRegistry.enabled;
  resourceRegistry.enabled = true;
  try {
    await run(function* () {
      const srv = yield* serve({ port: 0 }, echo);
      yield* fromPromise(rawExchange(srv.port, `GET / HTTP/1.1\r\n${H}Connection: close\r\n\r\n`));
      const info = listResources().find((r) => r.kind === 'http-server');
      assert.ok(info !== undefined);
      assert.equal(info.details?.['status200'], 1);
      yield* srv.shutdown({ graceMs: 100 });
    });
  } finally {
    resourceRegistry.enabled = was;
  }
});

test('a timeout around the handler body that runs out gives 503', async () => {
  function* slow(_req: HttpRequest): Gen<Response> {
    yield* timeout(10, sleep(60_000));
    return new Response('never');
  }
  await run(function* () {
    const srv = yield* serve({ port: 0 }, slow);
    const out = yield* fromPromise(rawExchange(srv.port, `GET / HTTP/1.1\r\n${H}\r\n`));
    assert.deepEqual(statuses(out), [503]);
    yield* srv.shutdown({ graceMs: 100 });
  });
});

test('constant responses: the bytes kept from the last plain response are only reused when the same', async () => {
  // Alternating bodies, statuses, HEAD, keep-alive and close: each response must be its own.
  function* h(req: HttpRequest): Gen<Response> {
    if (req.path === '/a') return new Response('aaa');
    if (req.path === '/b') return new Response('bb');
    if (req.path === '/missing') return new Response('aaa', { status: 404 });
    if (req.path === '/typed') return new Response('aaa', { headers: { 'content-type': 'text/html' } });
    return new Response('aaa', { statusText: 'Fine' });
  }
  await run(function* () {
    const srv = yield* serve({ port: 0 }, h);
    const raw =
      `GET /a HTTP/1.1\r\n${H}\r\nGET /a HTTP/1.1\r\n${H}\r\nGET /b HTTP/1.1\r\n${H}\r\nGET /a HTTP/1.1\r\n${H}\r\n` +
      `GET /missing HTTP/1.1\r\n${H}\r\nHEAD /a HTTP/1.1\r\n${H}\r\nGET /typed HTTP/1.1\r\n${H}\r\nGET /fine HTTP/1.1\r\n${H}\r\n` +
      `GET /a HTTP/1.1\r\n${H}Connection: close\r\n\r\n`;
    const out = yield* fromPromise(rawExchange(srv.port, raw));
    assert.deepEqual(statuses(out), [200, 200, 200, 200, 404, 200, 200, 200, 200]);
    const parts = out.split(/(?=HTTP\/1\.1 \d{3})/);
    const body = (r: string): string => r.slice(r.indexOf('\r\n\r\n') + 4);
    assert.deepEqual(parts.map(body), ['aaa', 'aaa', 'bb', 'aaa', 'aaa', '', 'aaa', 'aaa', 'aaa']);
    assert.match(parts[5]!, /Content-Length: 3\r\n/, 'HEAD has the length of the GET');
    assert.match(parts[6]!, /Content-Type: text\/html\r\n/i);
    assert.match(parts[7]!, /^HTTP\/1\.1 200 Fine\r\n/);
    assert.ok(!parts[7]!.includes('Connection: close'));
    assert.match(parts[8]!, /Connection: close\r\n/);
    yield* srv.shutdown({ graceMs: 100 });
  });
});
