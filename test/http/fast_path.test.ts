// A request whose handler answers at once with a fixed body is finished without a generator of
// its own (src/http/exchange.ts `quick`); everything else goes the slow way. These mix both on
// one connection and check that the quick way leaves nothing behind and never answers twice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { Runtime, fromIterable, fromPromise, run, sleep, type Gen } from '../../src/index.js';
import { Response, serve, type HttpRequest } from '../../src/http/index.js';
import { rawConnect, rawExchange, readUntil, statuses } from './helpers.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const H = 'Host: t\r\n';
const BIG = 'x'.repeat(4 * 1024 * 1024);
let lastReq: WeakRef<HttpRequest> | null = null;

function* mixed(req: HttpRequest): Gen<Response> {
  lastReq = new WeakRef(req);
  switch (req.path) {
    case '/now':
      return new Response('now');
    case '/later':
      yield* sleep(5);
      return new Response('later');
    case '/throw':
      throw new Error('boom');
    case '/later-throw':
      yield* sleep(2);
      throw new Error('late boom');
    case '/later-stream':
      yield* sleep(2);
      return new Response(fromIterable([Buffer.from('late '), Buffer.from('stream')]));
    case '/stream':
      return new Response(fromIterable([Buffer.from('st'), Buffer.from('ream')]));
    case '/bad':
      return new Response('x', { headers: { 'x-bad': 'a\r\nSet-Cookie: evil' } });
    case '/big':
      return new Response(BIG);
    case '/body':
      return new Response('ignored the body');
    default:
      return new Response('?', { status: 404 });
  }
}

test('quick and slow requests pipelined on one connection: in order, each answered once', async () => {
  const reported: string[] = [];
  const rt = new Runtime({ onUnhandledTaskError: (_e, t) => reported.push(t.name) });
  await rt.blockOn(function* () {
    const srv = yield* serve({ port: 0 }, mixed);
    const paths = ['/now', '/later', '/now', '/throw', '/stream', '/bad', '/now', '/body', '/now', '/later-throw', '/later-stream', '/later'];
    let raw = '';
    for (const p of paths) raw += p === '/body' ? `POST /body HTTP/1.1\r\n${H}Content-Length: 5\r\n\r\nhello` : `GET ${p} HTTP/1.1\r\n${H}\r\n`;
    raw += `HEAD /now HTTP/1.1\r\n${H}\r\nGET /now HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /now HTTP/1.1\r\n${H}Connection: close\r\n\r\n`;
    const out = yield* fromPromise(rawExchange(srv.port, raw));
    assert.ok(!out.endsWith('[hang]'), 'the connection closed after Connection: close');
    assert.deepEqual(statuses(out), [200, 200, 200, 500, 200, 500, 200, 200, 200, 500, 200, 200, 200, 200, 200]);
    assert.ok(!out.includes('evil'));
    const bodies = out.split(/HTTP\/1\.[01] \d{3} [^\r]*\r\n/).slice(1).map((r) => r.slice(r.indexOf('\r\n\r\n') + 4));
    assert.deepEqual(bodies.slice(0, 3), ['now', 'later', 'now']);
    assert.equal(bodies[4], '2\r\nst\r\n4\r\nream\r\n0\r\n\r\n');
    assert.deepEqual(bodies.slice(6, 8), ['now', 'ignored the body']);
    assert.equal(bodies[10], '5\r\nlate \r\n6\r\nstream\r\n0\r\n\r\n');
    assert.equal(bodies[11], 'later');
    assert.equal(bodies[12], ''); // HEAD
    assert.match(out, /HTTP\/1\.1 200 OK\r\n[^]*Connection: keep-alive\r\n/); // the 1.0 keep-alive answer
    const m = srv.metrics();
    assert.equal(m.statuses[200], 12);
    assert.equal(m.statuses[500], 3);
    yield* srv.shutdown({ graceMs: 100 });
  });
  assert.deepEqual(reported, ['GET /throw', 'GET /bad', 'GET /later-throw']);
  await rt.shutdown();
});

test('a quick response whose write has to wait (4 MiB) arrives whole, and the connection goes on', async () => {
  await run(function* () {
    const srv = yield* serve({ port: 0 }, mixed);
    const out = yield* fromPromise(rawExchange(srv.port, `GET /big HTTP/1.1\r\n${H}\r\nGET /now HTTP/1.1\r\n${H}Connection: close\r\n\r\n`, 20_000));
    assert.deepEqual(statuses(out), [200, 200]);
    assert.ok(out.includes(`Content-Length: ${BIG.length}\r\n`));
    const first = out.indexOf('\r\n\r\n') + 4;
    assert.equal(out.slice(first, first + BIG.length), BIG);
    assert.ok(out.endsWith('\r\n\r\nnow'));
    assert.equal(srv.metrics().statuses[200], 2);
    yield* srv.shutdown({ graceMs: 100 });
  });
});

for (const path of ['/now', '/later']) {
  test(`after ${path}, a kept-alive connection holds nothing of it and serves the next request when it comes`, async () => {
    await run(function* () {
      const srv = yield* serve({ port: 0 }, mixed);
      const s = yield* fromPromise(rawConnect(srv.port));
      let got = readUntil(s, `\r\n\r\n${path.slice(1)}`);
      s.write(`GET ${path} HTTP/1.1\r\n${H}\r\n`);
      yield* fromPromise(got);
      yield* sleep(10);
      gc();
      assert.equal(srv.metrics().openConnections, 1);
      assert.equal(lastReq?.deref(), undefined, 'the request was kept alive by its connection');
      got = readUntil(s, '\r\n\r\nnow');
      s.write(`GET /now HTTP/1.1\r\n${H}\r\n`); // not pipelined: the connection was parked
      assert.match(yield* fromPromise(got), /^HTTP\/1\.1 200 OK/);
      assert.equal(srv.metrics().statuses[200], 2);
      s.destroy();
      yield* srv.shutdown({ graceMs: 100 });
    });
  });
}
