import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Future, Pending, fromIterable, future, run, spawn, yieldNow, type Context, type Poll, type Waker } from '../../src/index.js';
import { Probe, collect } from './probe.js';

/** A future completed by hand; records polls and drops. */
class Gate<T> extends Future<T> {
  static live = 0;
  static maxLive = 0;
  polls = 0;
  drops = 0;
  private done = false;
  private value: T | undefined = undefined;
  private waker: Waker | null = null;
  private counted = false;
  constructor(readonly label: string) {
    super();
  }
  open(v: T): void {
    this.done = true;
    this.value = v;
    const w = this.waker;
    this.waker = null;
    w?.wake();
  }
  poll(cx: Context): Poll<T> {
    this.polls++;
    if (!this.counted) {
      this.counted = true;
      Gate.live++;
      Gate.maxLive = Math.max(Gate.maxLive, Gate.live);
    }
    if (this.done) {
      Gate.live--;
      return this.value as T;
    }
    this.waker = cx.waker.clone();
    return Pending;
  }
  override drop(): void {
    this.drops++;
    if (this.counted && !this.done) Gate.live--;
    this.waker = null;
  }
}

function* openInOrder(gates: Gate<number>[], order: number[]) {
  for (const i of order) {
    yield* yieldNow();
    gates[i]!.open(i);
  }
}

for (const ordered of [false, true]) {
  const name = ordered ? 'buffered' : 'bufferUnordered';

  test(`${name}: at most n futures in flight, all outputs delivered`, async () => {
    Gate.live = 0;
    Gate.maxLive = 0;
    const gates = Array.from({ length: 10 }, (_, i) => new Gate<number>(`g${i}`));
    const order = [2, 0, 1, 5, 3, 4, 9, 6, 8, 7];
    const out = await run(function* () {
      const s = fromIterable(gates);
      const b = ordered ? s.buffered(3) : s.bufferUnordered(3);
      spawn(openInOrder, gates, order);
      const got: number[] = [];
      let v: number | undefined;
      while ((v = yield* b.next()) !== undefined) got.push(v);
      return got;
    });
    assert.equal(Gate.maxLive <= 3, true, `max in flight ${Gate.maxLive}`);
    assert.deepEqual([...out].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    if (ordered) assert.deepEqual(out, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  test(`${name}: a wake re-polls only the woken future`, async () => {
    const gates = Array.from({ length: 4 }, (_, i) => new Gate<number>(`g${i}`));
    await run(function* () {
      const s = fromIterable(gates);
      const b = ordered ? s.buffered(4) : s.bufferUnordered(4);
      const n = b.next();
      assert.equal(n.poll(cxOf(noop)), Pending);
      assert.deepEqual(gates.map((g) => g.polls), [1, 1, 1, 1]);
      gates[2]!.open(2);
      const r = n.poll(cxOf(noop));
      assert.deepEqual(gates.map((g) => g.polls), [1, 1, 2, 1]);
      assert.equal(r, ordered ? Pending : 2);
      b.drop();
    });
    // A finished future is not dropped (its output, held by `buffered`, is simply released).
    assert.deepEqual(gates.map((g) => g.drops), [1, 1, 0, 1]);
  });

  test(`${name}: an error in one future drops the others and the source, once`, async () => {
    const boom = new Error('job failed');
    const p = new Probe([1, 2, 3, 4, 5], { endless: true });
    const gates: Gate<number>[] = [];
    function* job(x: number): Generator<Future<unknown>, number, unknown> {
      if (x === 3) {
        yield* yieldNow();
        throw boom;
      }
      const g = new Gate<number>(`j${x}`);
      gates.push(g);
      return yield* g;
    }
    const s = p.map((x) => future(job, x));
    await assert.rejects(collect(ordered ? s.buffered(3) : s.bufferUnordered(3)), (e) => e === boom);
    assert.equal(p.drops, 1);
    assert.deepEqual(gates.map((g) => g.drops), [1, 1]);
  });

  test(`${name}: accepts promises and generators as well as futures`, async () => {
    function* twice(x: number) {
      yield* yieldNow();
      return x * 2;
    }
    const s = fromIterable([1, 2, 3]).map((x) => (x === 2 ? Promise.resolve(20) : twice(x)));
    const out = await collect(ordered ? s.buffered(2) : s.bufferUnordered(2));
    assert.deepEqual([...out].sort((a, b) => a - b), [2, 6, 20]);
    if (ordered) assert.deepEqual(out, [2, 20, 6]);
    const bad = fromIterable([1]).map((x) => x as unknown as Future<number>);
    await assert.rejects(collect(bad.bufferUnordered(1)), /expected a Future, a promise or a generator, got 1/);
  });
}

test('bufferUnordered yields in completion order; buffered in stream order', async () => {
  function* after(n: number) {
    for (let i = 0; i < n; i++) yield* yieldNow();
    return n;
  }
  const delays = [5, 1, 3, 0, 2];
  const un = await collect(fromIterable(delays).map((d) => future(after, d)).bufferUnordered(5));
  const ord = await collect(fromIterable(delays).map((d) => future(after, d)).buffered(5));
  assert.deepEqual(un, [0, 1, 2, 3, 5]);
  assert.deepEqual(ord, delays);
});

test('forEachConcurrent: at most n at once, all run; an error cancels the rest', async () => {
  let live = 0;
  let maxLive = 0;
  const seen: number[] = [];
  function* work(x: number) {
    live++;
    maxLive = Math.max(maxLive, live);
    try {
      for (let i = 0; i < x % 3; i++) yield* yieldNow();
      seen.push(x);
    } finally {
      live--;
    }
  }
  await run(fromIterable([1, 2, 3, 4, 5, 6, 7, 8]).forEachConcurrent(3, work));
  assert.equal(maxLive, 3);
  assert.deepEqual([...seen].sort(), [1, 2, 3, 4, 5, 6, 7, 8]);

  const boom = new Error('worker failed');
  let cancelled = 0;
  function* failing(x: number) {
    try {
      if (x === 2) throw boom;
      for (;;) yield* yieldNow();
    } finally {
      if (x !== 2) cancelled++;
    }
  }
  const p = new Probe([1, 2, 3, 4], { endless: true });
  await assert.rejects(run(p.forEachConcurrent(2, failing)), (e) => e === boom);
  assert.equal(cancelled, 1, 'the other in-flight worker was cancelled and its finally ran');
  assert.equal(p.drops, 1);
});

const noop: Waker = { wake() {}, wakeByRef() {}, clone: () => noop, willWake: (o) => o === noop };
function cxOf(w: Waker): Context {
  return { waker: w };
}
