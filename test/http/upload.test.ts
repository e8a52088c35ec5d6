import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as net from 'node:net';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { fromPromise, run, sleep, type Gen } from '../../src/index.js';
import { Response, serve, type HttpRequest } from '../../src/http/index.js';

const TOTAL = 50 * 1024 * 1024;

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** Live memory (heap and buffers) after a full collection. */
function live(): number {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

test('a 50 MB upload to a handler that reads slowly keeps server memory bounded', async () => {
  let peak = 0;
  let base = 0;
  function* slow(req: HttpRequest): Gen<Response> {
    let n = 0;
    let i = 0;
    for (let c = yield* req.body.next(); c !== undefined; c = yield* req.body.next()) {
      n += c.length;
      if (++i % 32 === 0) {
        yield* sleep(1);
        peak = Math.max(peak, live());
      }
    }
    return new Response(`got ${n}`);
  }
  await run(function* () {
    const srv = yield* serve({ port: 0 }, slow);
    base = live();
    const reply = yield* fromPromise(
      new Promise<string>((resolve, reject) => {
        const s = net.connect(srv.port, '127.0.0.1');
        let out = '';
        s.on('data', (d: Buffer) => (out += d.toString()));
        s.on('close', () => resolve(out));
        s.on('error', reject);
        s.write(`POST /up HTTP/1.1\r\nHost: t\r\nContent-Length: ${TOTAL}\r\nConnection: close\r\n\r\n`);
        const piece = Buffer.alloc(64 * 1024, 120);
        let sent = 0;
        const pump = (): void => {
          while (sent < TOTAL) {
            sent += piece.length;
            if (!s.write(piece)) {
              s.once('drain', pump);
              return;
            }
          }
        };
        pump();
      }),
    );
    assert.ok(reply.endsWith(`got ${TOTAL}`), reply.slice(-80));
    yield* srv.shutdown({ graceMs: 100 });
  });
  // The client pushes as fast as it can; the server holds at most a few socket buffers.
  assert.ok(peak - base < 8 * 1024 * 1024, `server memory grew by ${((peak - base) / 1048576).toFixed(1)} MiB during a 50 MiB upload`);
});
