import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { run, fromPromise, TcpListener, TcpStream } from '../../src/index.js';
import { DROPPED, delay, pollOnceThenDrop, rawConnect } from './helpers.js';

test('a pending read that is dropped loses no bytes: the next read gets them', async () => {
  await run(function* () {
    const l = yield* TcpListener.bind('127.0.0.1:0');
    const c = yield* TcpStream.connect(l.localAddr());
    const [s] = yield* l.accept();
    const buf = Buffer.alloc(64);
    // Nothing sent yet: the read is pending, then abandoned.
    assert.equal(yield* pollOnceThenDrop(s.read(buf)), DROPPED);
    assert.equal(yield* pollOnceThenDrop(s.readChunk()), DROPPED);
    yield* c.writeAll(Buffer.from('not lost'));
    yield* delay(10); // the bytes reach the server while no read is pending
    const n = yield* s.read(buf);
    assert.equal(buf.toString('utf8', 0, n), 'not lost');
    c.close();
    s.close();
    l.close();
  });
});

test('property: any mix of dropped and completed reads of any size returns every byte in order', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.uint8Array({ minLength: 1, maxLength: 3000 }), { minLength: 1, maxLength: 12 }),
      fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 4096 })), { minLength: 1, maxLength: 40 }),
      async (chunks, plan) => {
        const expected = Buffer.concat(chunks.map((c) => Buffer.from(c)));
        const got = await run(function* () {
          const l = yield* TcpListener.bind('127.0.0.1:0');
          const raw = yield* fromPromise(rawConnect(l.localAddr().port));
          const [s] = yield* l.accept();
          void (async () => {
            for (const c of chunks) {
              raw.write(c);
              await new Promise((r) => setImmediate(r));
            }
            raw.end();
          })();
          const parts: Buffer[] = [];
          let i = 0;
          for (;;) {
            const [drop, size] = plan[i++ % plan.length]!;
            const buf = Buffer.alloc(size);
            if (drop) {
              const r = yield* pollOnceThenDrop(s.read(buf));
              if (r === DROPPED) {
                yield* s.readable(); // wait for more bytes without a read pending
                continue;
              }
              if (r === 0) break;
              parts.push(Buffer.from(buf.subarray(0, r)));
            } else {
              const n = yield* s.read(buf);
              if (n === 0) break;
              parts.push(Buffer.from(buf.subarray(0, n)));
            }
          }
          raw.destroy();
          s.close();
          l.close();
          return Buffer.concat(parts);
        });
        assert.deepEqual(got, expected);
      },
    ),
    { numRuns: 25 },
  );
});
