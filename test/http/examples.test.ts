import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { broadcast, fromPromise, run, sleep } from '../../src/index.js';
import { serve } from '../../src/http/index.js';
import { hello } from '../../examples/http_hello.js';
import { proxy } from '../../examples/http_proxy.js';
import { live, sse } from '../../examples/http_sse.js';
import { rawConnect, readUntil } from './helpers.js';

test('http_hello: greets, answers JSON, echoes a POST', async () => {
  await run(function* () {
    const srv = yield* serve({ port: 0 }, hello);
    const base = `http://127.0.0.1:${srv.port}`;
    assert.equal(yield* fromPromise(fetch(`${base}/you`).then((r) => r.text())), 'hello you\n');
    assert.deepEqual(yield* fromPromise(fetch(`${base}/json`).then((r) => r.json())), { hello: 'world', from: '127.0.0.1' });
    assert.equal(yield* fromPromise(fetch(base, { method: 'POST', body: 'data' }).then((r) => r.text())), 'you sent data\n');
    yield* srv.shutdown({ graceMs: 100 });
  });
});

test('http_proxy: relays requests; the upstream request is cancelled when the downstream client leaves', async () => {
  let aborted!: () => void;
  const upstreamSawAbort = new Promise<void>((r) => (aborted = r));
  const upstream = http.createServer((req, res) => {
    if (req.url === '/stream') {
      res.on('close', () => {
        if (!res.writableFinished) aborted();
      });
      res.write('first chunk\n'); // and never finishes
      return;
    }
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => res.writeHead(201, { 'x-up': '1' }).end(`upstream got ${req.method} ${req.url} ${body}`));
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  const up = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  try {
    await run(function* () {
      const srv = yield* serve({ port: 0 }, proxy, up);
      const r = yield* fromPromise(fetch(`http://127.0.0.1:${srv.port}/echo?q=1`, { method: 'POST', body: 'payload' }));
      assert.equal(r.status, 201);
      assert.equal(r.headers.get('x-up'), '1');
      assert.equal(yield* fromPromise(r.text()), 'upstream got POST /echo?q=1 payload');
      const s = yield* fromPromise(rawConnect(srv.port));
      s.write('GET /stream HTTP/1.1\r\nHost: p\r\n\r\n');
      yield* fromPromise(readUntil(s, 'first chunk'));
      s.destroy();
      yield* fromPromise(upstreamSawAbort);
      yield* srv.shutdown({ graceMs: 100 });
    });
  } finally {
    upstream.close();
  }
});

test('http_sse: events from a broadcast reach the subscriber; its task is cleaned up on disconnect', async () => {
  await run(function* () {
    const [hub, unused] = broadcast<string>(16);
    unused.close();
    const srv = yield* serve({ port: 0 }, sse, hub);
    const s = yield* fromPromise(rawConnect(srv.port));
    s.write('GET /events HTTP/1.1\r\nHost: e\r\n\r\n');
    const head = yield* fromPromise(readUntil(s, ': subscribed'));
    assert.match(head, /content-type: text\/event-stream/);
    assert.equal(live.subscribers as number, 1);
    const got = readUntil(s, 'data: two\n\n');
    const res = yield* fromPromise(fetch(`http://127.0.0.1:${srv.port}/publish`, { method: 'POST', body: 'one' }).then((r) => r.text()));
    assert.equal(res, 'delivered to 1\n');
    hub.send('two');
    assert.match(yield* fromPromise(got), /data: one\n\n[^]*data: two\n\n/);
    s.destroy();
    while ((live.subscribers as number) !== 0) yield* sleep(5);
    yield* srv.shutdown({ graceMs: 100 });
  });
});
