import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Runtime, StreamClosedError, fromAsyncIterable, fromInterval, fromIterable, fromReadable, interval, run, toReadable, yieldNow } from '../../src/index.js';
import { Probe, collect } from './probe.js';

test('fromIterable: arrays, sets, strings and generators, lazily', async () => {
  let started = false;
  function* gen() {
    started = true;
    yield 1;
    yield 2;
  }
  const s = fromIterable(gen());
  assert.equal(started, false);
  assert.deepEqual(await collect(s), [1, 2]);
  assert.deepEqual(await collect(fromIterable(new Set(['a', 'b']))), ['a', 'b']);
  assert.deepEqual(await collect(fromIterable('xy')), ['x', 'y']);
  assert.deepEqual(await collect(fromIterable([])), []);
});

test('fromIterable: dropping before the end runs the generator finally once', async () => {
  let finallies = 0;
  function* gen() {
    try {
      for (let i = 0; ; i++) yield i;
    } finally {
      finallies++;
    }
  }
  const out = await collect(fromIterable(gen()).take(3));
  assert.deepEqual(out, [0, 1, 2]);
  assert.equal(finallies, 1);
});

test('fromIterable: an endless source still lets other tasks run (cooperative budget)', async () => {
  function* naturals() {
    for (let i = 0; ; i++) yield i;
  }
  function* ticker(log: string[]) {
    for (let i = 0; i < 3; i++) {
      log.push('tick');
      yield* yieldNow();
    }
  }
  const log: string[] = [];
  const rt = new Runtime();
  const t = rt.spawn(ticker, log);
  const n = await rt.blockOn(fromIterable(naturals()).take(200_000).fold(0, (a) => a + 1));
  await t;
  assert.equal(n, 200_000);
  assert.equal(log.length, 3);
  // The ticker ran before the long fold was over: the fold yielded at least once.
  assert.ok(rt.metrics().budgetForcedYieldCount > 0);
  await rt.shutdown();
});

test('fromIterable: an error thrown by the iterator ends the stream with it', async () => {
  const boom = new Error('gen failed');
  function* gen() {
    yield 1;
    throw boom;
  }
  await assert.rejects(collect(fromIterable(gen())), (e) => e === boom);
});

test('fromAsyncIterable: pulled lazily, one next() at a time (backpressure)', async () => {
  let produced = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const src: AsyncIterable<number> = {
    [Symbol.asyncIterator]() {
      return {
        async next() {
          inFlight++;
          maxInFlight = Math.max(maxInFlight, inFlight);
          await new Promise((r) => setImmediate(r));
          inFlight--;
          return { done: false, value: produced++ };
        },
      };
    },
  };
  const s = fromAsyncIterable(src);
  await new Promise((r) => setImmediate(r));
  assert.equal(produced, 0, 'nothing pulled before the stream is polled');
  const out = await collect(s.take(5));
  assert.deepEqual(out, [0, 1, 2, 3, 4]);
  assert.equal(produced, 5, 'the producer never ran ahead of the consumer');
  assert.equal(maxInFlight, 1);
});

test('fromAsyncIterable: dropping calls return() (the async generator finally runs)', async () => {
  let cleaned = 0;
  async function* gen() {
    try {
      for (let i = 0; ; i++) {
        await null;
        yield i;
      }
    } finally {
      cleaned++;
    }
  }
  assert.deepEqual(await collect(fromAsyncIterable(gen()).take(3)), [0, 1, 2]);
  await new Promise((r) => setImmediate(r));
  assert.equal(cleaned, 1);
});

test('fromAsyncIterable: a rejection ends the stream with that error', async () => {
  const boom = new Error('async source failed');
  async function* gen() {
    yield 1;
    throw boom;
  }
  await assert.rejects(collect(fromAsyncIterable(gen())), (e) => e === boom);
  assert.throws(() => fromAsyncIterable([1] as unknown as AsyncIterable<number>), /expected an async iterable/);
});

test('for await over a stream in plain async code; break drops the stream', async () => {
  const got: number[] = [];
  for await (const v of fromIterable([1, 2, 3]).map((x) => x * 2)) got.push(v);
  assert.deepEqual(got, [2, 4, 6]);

  const p = new Probe([1, 2, 3, 4], { interleavePending: true });
  for await (const v of p) {
    if (v === 2) break;
  }
  assert.equal(p.drops, 1);
  assert.equal(p.pulled, 2);
});

test('for await: an error in the stream rejects the loop and drops the stream', async () => {
  const boom = new Error('loop failed');
  const p = new Probe([1, 2, 3], { failAt: 1, error: boom });
  await assert.rejects(
    (async () => {
      for await (const _ of p) {
        // consume
      }
    })(),
    (e) => e === boom,
  );
  assert.equal(p.drops, 1);
});

test('fromReadable: object mode, in order, lazily', async () => {
  let reads = 0;
  const r = new Readable({
    objectMode: true,
    read() {
      reads++;
      this.push(reads <= 3 ? { n: reads } : null);
    },
  });
  const s = fromReadable<{ n: number }>(r);
  await new Promise((res) => setImmediate(res));
  assert.equal(reads, 0, 'nothing read before the first poll');
  assert.deepEqual(await collect(s.map((o) => o.n)), [1, 2, 3]);
});

test('fromReadable: bytes arrive whole; a slow consumer keeps the readable bounded', async () => {
  let produced = 0;
  const chunk = Buffer.alloc(1024, 7);
  const r = new Readable({
    highWaterMark: 4096,
    read() {
      produced++;
      this.push(produced <= 64 ? chunk : null);
    },
  });
  const total = await run(function* () {
    const s = fromReadable(r);
    let n = 0;
    let b: Buffer | undefined;
    while ((b = yield* s.next()) !== undefined) {
      n += b.length;
      // Node never buffered much more than highWaterMark ahead of us.
      assert.ok(r.readableLength <= 8192, `buffered ${r.readableLength}`);
      yield* yieldNow();
    }
    return n;
  });
  assert.equal(total, 64 * 1024);
});

test('fromReadable: dropping stops reading and destroys the readable', async () => {
  let reads = 0;
  const r = new Readable({
    objectMode: true,
    highWaterMark: 2,
    read() {
      reads++;
      this.push(reads);
    },
  });
  const out = await collect(fromReadable<number>(r).take(3));
  assert.deepEqual(out, [1, 2, 3]);
  await new Promise((res) => setImmediate(res));
  assert.equal(r.destroyed, true);
  const after = reads;
  await new Promise((res) => setTimeout(res, 5));
  assert.equal(reads, after, 'no more reads after the drop');
});

test('fromReadable: destroyOnDrop false leaves the readable paused and usable', async () => {
  const r = Readable.from([1, 2, 3, 4], { objectMode: true });
  assert.deepEqual(await collect(fromReadable<number>(r, { destroyOnDrop: false }).take(2)), [1, 2]);
  assert.equal(r.destroyed, false);
  const rest: number[] = [];
  for await (const v of r) rest.push(v as number);
  assert.deepEqual(rest, [3, 4]);
});

test('fromReadable: an error event ends the stream with that error', async () => {
  const boom = new Error('disk on fire');
  let n = 0;
  const r = new Readable({
    objectMode: true,
    read() {
      n++;
      if (n === 3) this.destroy(boom);
      else this.push(n);
    },
  });
  const got: number[] = [];
  await assert.rejects(run(fromReadable<number>(r).forEach((v) => void got.push(v))), (e) => e === boom);
  assert.deepEqual(got, [1, 2]);
});

test('toReadable: pipes a stream into a Node pipeline with backpressure', async () => {
  const p = new Probe(Array.from({ length: 100 }, (_, i) => i));
  const r = toReadable(p.map((x) => `${x}\n`), { objectMode: false, highWaterMark: 16 });
  let maxAhead = 0;
  let text = '';
  await pipeline(
    r,
    new Writable({
      highWaterMark: 1,
      write(chunk: Buffer, _enc, cb) {
        text += chunk.toString();
        maxAhead = Math.max(maxAhead, p.pulled - text.split('\n').length + 1);
        setImmediate(cb);
      },
    }),
  );
  assert.equal(text, Array.from({ length: 100 }, (_, i) => `${i}\n`).join(''));
  assert.ok(maxAhead < 40, `the stream ran ${maxAhead} values ahead of the writer`);
  assert.equal(p.drops, 1);
});

test('toReadable: destroying the readable drops the stream; a stream error destroys it', async () => {
  const p = new Probe([1, 2, 3], { endless: true });
  const r = toReadable(p);
  const first = await new Promise((res) => r.once('data', res));
  assert.equal(first, 1);
  r.destroy();
  await new Promise((res) => setImmediate(res));
  assert.equal(p.drops, 1);

  const boom = new Error('stream failed');
  const q = new Probe([1], { failAt: 1, error: boom });
  const r2 = toReadable(q);
  const err = await new Promise((res) => {
    r2.on('error', res);
    r2.resume();
  });
  assert.equal(err, boom);
  assert.equal(q.drops, 1);
});

test('for await: a next() waiting when the runtime shuts down rejects with StreamClosedError', async () => {
  const rt = new Runtime();
  const p = new Probe<number>([], { endless: true });
  const it = await rt.blockOn(function* () {
    // Created inside a task, so the loop runs on this runtime.
    return p[Symbol.asyncIterator]();
  });
  const pending = it.next();
  await new Promise((r) => setImmediate(r));
  await rt.shutdown();
  await assert.rejects(pending, (e: unknown) => e instanceof StreamClosedError);
  assert.equal(p.drops, 1);
});

test('for await: next() after the end keeps giving done; calling next() twice at once is an error', async () => {
  const it = fromIterable([1])[Symbol.asyncIterator]();
  assert.deepEqual(await it.next(), { done: false, value: 1 });
  assert.deepEqual(await it.next(), { done: true, value: undefined });
  assert.deepEqual(await it.next(), { done: true, value: undefined });
  const it2 = new Probe<number>([1], { interleavePending: true })[Symbol.asyncIterator]();
  const a = it2.next();
  await assert.rejects(it2.next(), /previous next\(\) is pending/);
  assert.deepEqual(await a, { done: false, value: 1 });
  await it2.return?.();
});

test('for await from plain async code over a timer-driven stream (the default runtime drives it)', async () => {
  const ticks: number[] = [];
  let i = 0;
  for await (const _ of fromInterval(interval(1)).take(3)) ticks.push(i++);
  assert.deepEqual(ticks, [0, 1, 2]);
});
