import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Elapsed, fromPromise, run, timeout } from '../../src/index.js';
import { fetch } from '../../src/http/index.js';

test('fetch: a response with text/json/body; a timeout around it aborts the upstream request', async () => {
  let aborted!: () => void;
  const sawAbort = new Promise<void>((r) => (aborted = r));
  const upstream = http.createServer((req, res) => {
    if (req.url === '/json') return void res.end('{"a":1}');
    if (req.url === '/stream') return void res.end('chunky');
    res.on('close', () => {
      if (!res.writableFinished) aborted();
    });
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  try {
    await run(function* () {
      const r = yield* fetch(`${base}/json`);
      assert.equal(r.status, 200);
      assert.deepEqual(yield* r.json(), { a: 1 });
      const s = yield* fetch(`${base}/stream`);
      const parts = yield* s.body.collect();
      assert.equal(Buffer.concat(parts).toString(), 'chunky');
      try {
        yield* timeout(50, fetch(`${base}/hang`));
        assert.fail('expected a timeout');
      } catch (e) {
        assert.ok(e instanceof Elapsed);
      }
      yield* fromPromise(sawAbort);
    });
  } finally {
    upstream.close();
  }
});
