import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fromPromise, run, sleep, type Gen } from '../../src/index.js';
import { Response, fetch, serve, type HttpRequest } from '../../src/http/index.js';
import { closed, rawConnect } from './helpers.js';

const H = 'Host: t\r\n';

test('client disconnect aborts the request task: finally runs, req.signal aborts, the upstream fetch is aborted, 499 counted', async () => {
  let upstreamAborted!: () => void;
  const upstreamSawAbort = new Promise<void>((r) => (upstreamAborted = r));
  let upstreamGotRequest!: () => void;
  const upstreamStarted = new Promise<void>((r) => (upstreamGotRequest = r));
  const upstream = http.createServer((req, res) => {
    upstreamGotRequest();
    res.on('close', () => {
      if (!res.writableFinished) upstreamAborted();
    });
    void req; // never answers
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  const upPort = (upstream.address() as AddressInfo).port;
  const events: string[] = [];
  function* handler(req: HttpRequest): Gen<Response> {
    req.signal.addEventListener('abort', () => events.push('signal'));
    try {
      const res = yield* fetch(`http://127.0.0.1:${upPort}/slow`);
      return new Response(yield* res.text());
    } finally {
      events.push('finally');
    }
  }
  try {
    await run(function* () {
      const srv = yield* serve({ port: 0 }, handler);
      const s = yield* fromPromise(rawConnect(srv.port));
      s.write(`GET /proxy HTTP/1.1\r\n${H}\r\n`);
      yield* fromPromise(upstreamStarted);
      s.destroy();
      yield* fromPromise(upstreamSawAbort);
      while (srv.metrics().statuses[499] !== 1) yield* sleep(5);
      assert.deepEqual(events.sort(), ['finally', 'signal']);
      yield* srv.shutdown({ graceMs: 100 });
    });
  } finally {
    upstream.close();
  }
});

test('a client that half-closes while its handler sleeps counts as gone; nested work is dropped', async () => {
  const events: string[] = [];
  function* nested() {
    try {
      yield* sleep(60_000);
    } finally {
      events.push('nested dropped');
    }
  }
  function* handler(_req: HttpRequest): Gen<Response> {
    try {
      yield* nested();
      return new Response('late');
    } finally {
      events.push('finally');
    }
  }
  await run(function* () {
    const srv = yield* serve({ port: 0 }, handler);
    const s = yield* fromPromise(rawConnect(srv.port));
    s.end(`GET /sleep HTTP/1.1\r\n${H}\r\n`);
    yield* fromPromise(closed(s));
    while (srv.metrics().statuses[499] !== 1) yield* sleep(5);
    assert.deepEqual(events, ['nested dropped', 'finally']);
    yield* srv.shutdown({ graceMs: 100 });
  });
});
