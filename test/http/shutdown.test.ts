import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromPromise, run, sleep, spawn, type Gen } from '../../src/index.js';
import { Response, serve, type HttpRequest } from '../../src/http/index.js';
import { closed, rawConnect, readUntil, statuses } from './helpers.js';

const H = 'Host: t\r\n';

test('graceful shutdown: idle connections close at once, the in-flight request finishes with Connection: close', async () => {
  let started!: () => void;
  const inFlight = new Promise<void>((r) => (started = r));
  function* h(req: HttpRequest): Gen<Response> {
    if (req.path === '/slow') {
      started();
      yield* sleep(50);
      return new Response('finished');
    }
    return new Response('quick');
  }
  await run(function* () {
    const srv = yield* serve({ port: 0 }, h);
    const idle = yield* fromPromise(rawConnect(srv.port));
    idle.write(`GET / HTTP/1.1\r\n${H}\r\n`);
    yield* fromPromise(readUntil(idle, 'quick'));
    const busy = yield* fromPromise(rawConnect(srv.port));
    busy.write(`GET /slow HTTP/1.1\r\n${H}\r\n`);
    const reply = readUntil(busy, 'finished');
    yield* fromPromise(inFlight);
    const stop = spawn(function* () {
      yield* srv.shutdown({ graceMs: 5000 });
    });
    yield* fromPromise(closed(idle));
    const out = yield* fromPromise(reply);
    assert.deepEqual(statuses(out), [200]);
    assert.match(out, /Connection: close/);
    yield* fromPromise(closed(busy));
    yield* stop;
    assert.equal(srv.metrics().openConnections, 0);
  });
});

test('after graceMs a request still running is aborted (its finally runs); opts.signal shuts down too', async () => {
  const events: string[] = [];
  function* stuck(_req: HttpRequest): Gen<Response> {
    try {
      yield* sleep(60_000);
      return new Response('never');
    } finally {
      events.push('finally');
    }
  }
  await run(function* () {
    const ac = new AbortController();
    const srv = yield* serve({ port: 0, signal: ac.signal }, stuck);
    const s = yield* fromPromise(rawConnect(srv.port));
    s.write(`GET /stuck HTTP/1.1\r\n${H}\r\n`);
    while (srv.metrics().openConnections === 0) yield* sleep(2);
    yield* sleep(10);
    const t = spawn(function* () {
      yield* srv.shutdown({ graceMs: 30 });
    });
    yield* t;
    assert.deepEqual(events, ['finally']);
    yield* fromPromise(closed(s));
    // opts.signal on a second server
    const srv2 = yield* serve({ port: 0, signal: ac.signal }, stuck);
    ac.abort();
    yield* srv2.closed;
  });
});
