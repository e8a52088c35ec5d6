import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Histogram, Runtime, startConsole, yieldNow } from '../../src/index.js';
import { Parked } from './demo_app.js';

test('histogram: count, min, max, mean and percentiles of recorded values', () => {
  const h = new Histogram();
  for (let i = 1; i <= 100; i++) h.record(i / 10); // 0.1 .. 10 ms
  assert.equal(h.count, 100);
  assert.equal(h.min, 0.1);
  assert.equal(h.max, 10);
  assert.ok(Math.abs(h.mean() - 5.05) < 1e-9);
  const p50 = h.percentile(50);
  assert.ok(p50 >= 5 && p50 <= 5 * 1.125, `p50 ${p50}`);
  assert.equal(h.percentile(100), 10);
  const total = h.buckets().reduce((a, b) => a + b[2], 0);
  assert.equal(total, 100);
  for (const [lo, hi] of h.buckets()) assert.ok(lo < hi);
});

test('histogram: every value lands in a bucket within 12.5 % of it (property)', () => {
  fc.assert(
    fc.property(fc.double({ min: 0.001, max: 2_000_000, noNaN: true }), (ms) => {
      const h = new Histogram();
      h.record(ms);
      const [[lo, hi]] = h.buckets() as [[number, number, number]];
      return lo <= ms * (1 + 1e-9) && ms <= hi * (1 + 1e-9) && hi <= lo * 1.125 + 1e-9;
    }),
  );
});

test('histogram: percentiles are monotonic and bounded by min and max (property)', () => {
  fc.assert(
    fc.property(fc.array(fc.double({ min: 0, max: 10_000, noNaN: true }), { minLength: 1, maxLength: 200 }), (xs) => {
      const h = new Histogram();
      for (const x of xs) h.record(x);
      let prev = 0;
      for (const p of [1, 10, 50, 90, 99, 100]) {
        const v = h.percentile(p);
        if (v < prev || v > h.max) return false;
        prev = v;
      }
      return h.count === xs.length;
    }),
  );
});

test('histogram: merge adds counts', () => {
  const a = new Histogram();
  const b = new Histogram();
  a.record(1);
  b.record(2);
  b.record(3);
  a.merge(b);
  assert.equal(a.count, 3);
  assert.equal(a.max, 3);
  assert.equal(a.min, 1);
});

function* pollsThenWait(n: number, p: Parked) {
  for (let i = 0; i < n; i++) yield* yieldNow();
  yield* p;
  return n;
}

test('per-task poll-time and scheduled-latency histograms count every poll (console on)', async () => {
  const rt = new Runtime();
  const c = startConsole(rt, { port: 0 });
  const before = rt.metrics().pollTimeHistogram.count;
  const p = new Parked('Recv', '');
  const h = rt.spawn(pollsThenWait, 6, p);
  await new Promise((r) => setTimeout(r, 5));
  const d = c.task(h.id);
  assert.ok(d !== null && d.poll !== null && d.scheduled !== null);
  assert.equal(d.task.polls, 7);
  assert.equal(d.poll.count, 7);
  assert.equal(d.scheduled.count, 7);
  assert.equal(d.poll.buckets.reduce((a, b) => a + b[2], 0), 7);
  assert.ok(d.poll.min <= d.poll.p50 && d.poll.p50 <= d.poll.max);
  p.release();
  assert.equal(await h, 6);
  assert.equal(rt.metrics().pollTimeHistogram.count - before, 8, 'runtime histogram: 8 polls of the task');
  await rt.shutdown();
});

test('per-task histograms are not kept without the console', async () => {
  const rt = new Runtime();
  const p = new Parked('Recv', '');
  const h = rt.spawn(pollsThenWait, 3, p);
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(rt.executor.probe, null);
  p.release();
  await h;
  await rt.shutdown();
});
