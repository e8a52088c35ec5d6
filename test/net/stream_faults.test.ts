import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { Runtime, fromPromise, TcpListener, UnixListener, UnixStream, IoError, type Future } from '../../src/index.js';
import { rawConnect } from './helpers.js';

/** The value of `f`, or the error it throws. */
function* caught<T>(f: Future<T>) {
  try {
    return yield* f;
  } catch (e) {
    return e;
  }
}

test('a Unix socket path longer than the OS limit is refused with a clear error', () => {
  const long = join(tmpdir(), `kyoto-${'x'.repeat(150)}.sock`);
  for (const f of [() => UnixListener.bind(long), () => UnixStream.connect(long)]) {
    assert.throws(f, (e: unknown) => e instanceof IoError && e.code === 'ENAMETOOLONG' && /at most 10[37] bytes/.test(e.message) && e.message.includes(long));
  }
});

test('a write after the peer reset the connection says it was the write that failed', async () => {
  const rt = new Runtime();
  const err = await rt.blockOn(function* () {
    const l = yield* TcpListener.bind('127.0.0.1:0');
    try {
      const peer = rawConnect(l.localAddr().port);
      const [s] = yield* l.accept();
      (yield* fromPromise(peer)).resetAndDestroy();
      yield* s.readable(); // the reset arrives
      const e = yield* caught(s.writeAll(Buffer.from('too late')));
      s.close();
      return e;
    } finally {
      l.close();
    }
  });
  await rt.shutdown();
  assert.ok(err instanceof IoError, String(err));
  assert.equal(err.code, 'ECONNRESET');
  assert.match(err.message, /^write to tcp .* failed: the connection was reset by the peer/);
  assert.doesNotMatch(err.message, /read ECONNRESET/);
});
