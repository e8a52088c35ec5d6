import { test } from 'node:test';
import assert from 'node:assert/strict';
import { run, Pending, type Context, type Poll } from '../../src/index.js';
import { AsyncWriteMethods } from '../../src/io/write_methods.js';
import { NodeWriter } from '../../src/process/stream_write.js';
import { FileCore } from '../../src/fs/file_core.js';

/** Accepts at most 3 bytes per call and is pending every other call; flush is pending once. */
class Trickle extends AsyncWriteMethods {
  out: number[] = [];
  calls = 0;
  flushed = false;
  pollWrite(cx: Context, buf: Uint8Array): Poll<number> {
    if (this.calls++ % 2 === 1) {
      cx.waker.wakeByRef();
      return Pending;
    }
    const n = Math.min(3, buf.length);
    this.out.push(...buf.subarray(0, n));
    return n;
  }
  pollFlush(cx: Context): Poll<void> {
    if (!this.flushed) {
      this.flushed = true;
      cx.waker.wakeByRef();
      return Pending;
    }
  }
  pollShutdown(): Poll<void> {}
}

test('write accepts a prefix, writeAll retries through partial and pending writes, flush waits', async () => {
  const w = new Trickle();
  const first = await run(function* () {
    return yield* w.write(Buffer.from('abcdef'));
  });
  assert.equal(first, 3);
  await run(function* () {
    yield* w.writeAll(Buffer.from('ghijklmnop'));
    yield* w.flush();
  });
  assert.equal(Buffer.from(w.out).toString(), 'abcghijklmnop');
  assert.equal(w.flushed, true);
});

test("kyoto's writers share the methods", () => {
  for (const C of [NodeWriter, FileCore]) {
    assert.ok(C.prototype instanceof AsyncWriteMethods, `${C.name} extends AsyncWriteMethods`);
    for (const m of ['write', 'writeAll', 'flush'] as const) assert.equal(C.prototype[m], AsyncWriteMethods.prototype[m], `${C.name}.${m}`);
  }
});
