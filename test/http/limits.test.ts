import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromPromise, run, sleep, type Gen } from '../../src/index.js';
import { Response, serve, type HttpRequest } from '../../src/http/index.js';
import { closed, rawConnect, rawExchange, readUntil, statuses } from './helpers.js';

const H = 'Host: t\r\n';

function* echo(req: HttpRequest): Gen<Response> {
  return new Response(`len ${(yield* req.bytes()).length}`);
}

test('431 for a head over maxHeaderBytes, 413 for a body over maxBodyBytes (declared or chunked)', async () => {
  await run(function* () {
    const srv = yield* serve({ port: 0, maxHeaderBytes: 1024, maxBodyBytes: 10 }, echo);
    const big = yield* fromPromise(rawExchange(srv.port, `GET / HTTP/1.1\r\n${H}X-Big: ${'a'.repeat(2000)}\r\n\r\n`));
    assert.deepEqual(statuses(big), [431]);
    const declared = yield* fromPromise(rawExchange(srv.port, `POST / HTTP/1.1\r\n${H}Content-Length: 11\r\n\r\n01234567890`));
    assert.deepEqual(statuses(declared), [413]);
    assert.match(declared, /Connection: close/);
    const chunked = yield* fromPromise(rawExchange(srv.port, `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n6\r\n012345\r\n6\r\n678901\r\n0\r\n\r\n`));
    assert.deepEqual(statuses(chunked), [413]);
    const fits = yield* fromPromise(rawExchange(srv.port, `POST / HTTP/1.1\r\n${H}Content-Length: 10\r\nConnection: close\r\n\r\n0123456789`));
    assert.ok(fits.endsWith('len 10'));
    yield* srv.shutdown({ graceMs: 100 });
  });
});

test('slowloris: a head not complete within headersTimeoutMs gets 408 and is closed', async () => {
  await run(function* () {
    const srv = yield* serve({ port: 0, headersTimeoutMs: 100 }, echo);
    const s = yield* fromPromise(rawConnect(srv.port));
    let got = '';
    s.on('data', (d: Buffer) => (got += d.toString('latin1')));
    s.write('GET / HTTP/1.1\r\nHost: t\r\nX-Slow: ');
    for (let i = 0; i < 3 && !s.destroyed; i++) {
      yield* sleep(20);
      s.write('a');
    }
    yield* fromPromise(closed(s));
    assert.deepEqual(statuses(got), [408]);
    assert.equal(srv.metrics().statuses[408], 1);
    yield* srv.shutdown({ graceMs: 100 });
  });
});

test('an idle keep-alive connection is closed after keepAliveTimeoutMs', async () => {
  await run(function* () {
    const srv = yield* serve({ port: 0, keepAliveTimeoutMs: 50 }, echo);
    const s = yield* fromPromise(rawConnect(srv.port));
    s.write(`GET / HTTP/1.1\r\n${H}\r\n`);
    const first = yield* fromPromise(readUntil(s, 'len 0'));
    assert.deepEqual(statuses(first), [200]);
    yield* fromPromise(closed(s)); // closed by the server, no request sent
    assert.equal(srv.metrics().openConnections, 0);
    yield* srv.shutdown({ graceMs: 100 });
  });
});

test('maxConnections: a connection beyond the limit is closed at accept', async () => {
  await run(function* () {
    const srv = yield* serve({ port: 0, maxConnections: 1 }, echo);
    const a = yield* fromPromise(rawConnect(srv.port));
    a.write(`GET / HTTP/1.1\r\n${H}\r\n`);
    yield* fromPromise(readUntil(a, 'len 0'));
    const b = yield* fromPromise(rawConnect(srv.port));
    b.on('error', () => {});
    yield* fromPromise(closed(b));
    assert.equal(srv.metrics().refusedConnections, 1);
    a.write(`GET /again HTTP/1.1\r\n${H}\r\n`);
    yield* fromPromise(readUntil(a, 'len 0'));
    a.destroy();
    yield* srv.shutdown({ graceMs: 100 });
  });
});
