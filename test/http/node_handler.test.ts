import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Runtime, fromIterable, type Gen } from '../../src/index.js';
import { Response, toNodeHandler, type HttpRequest } from '../../src/http/index.js';
import { abortProbe, closed, rawConnect } from './helpers.js';

test('toNodeHandler: one kyoto task per request on node:http; bodies both ways; errors are 500', async () => {
  const reported: unknown[] = [];
  const rt = new Runtime({ onUnhandledTaskError: (e) => reported.push(e) });
  function* h(req: HttpRequest): Gen<Response> {
    if (req.path === '/boom') throw new Error('boom');
    if (req.path === '/stream') return new Response(fromIterable([Buffer.from('s1'), Buffer.from('s2')]));
    const body = yield* req.text();
    return Response.json({ m: req.method, p: req.path, body, a: req.headers.get('X-A'), url: req.url });
  }
  const server = http.createServer(toNodeHandler(h, { runtime: rt }));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const r = await fetch(`${base}/echo?x`, { method: 'POST', body: 'hi', headers: { 'x-a': 'A' } });
    assert.deepEqual(await r.json(), { m: 'POST', p: '/echo', body: 'hi', a: 'A', url: `${base}/echo?x` });
    assert.equal(await (await fetch(`${base}/stream`)).text(), 's1s2');
    assert.equal((await fetch(`${base}/boom`)).status, 500);
    assert.equal((reported[0] as Error).message, 'boom');
  } finally {
    server.close();
    await rt.shutdown();
  }
});

test('toNodeHandler: a client that disconnects aborts the task (finally runs, signal aborts)', async () => {
  const rt = new Runtime();
  const { h, events, inHandler, finished } = abortProbe();
  const server = http.createServer(toNodeHandler(h, { runtime: rt }));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const s = await rawConnect((server.address() as AddressInfo).port);
    s.write('GET /wait HTTP/1.1\r\nHost: t\r\n\r\n');
    await inHandler;
    s.destroy();
    await closed(s);
    await finished;
    assert.deepEqual(events.sort(), ['finally', 'signal']);
  } finally {
    server.close();
    await rt.shutdown();
  }
});
