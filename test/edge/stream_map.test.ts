import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Done, Pending, Stream, StreamMap, fromIterable, fromReceiver, mpsc, noopWaker, contextFromWaker, run, yieldNow, type Context, type StreamPoll } from '../../src/index.js';

class Forever extends Stream<number> {
  dropped = 0;
  constructor(private readonly v: number) {
    super();
  }
  pollNext(_cx: Context): StreamPoll<number> {
    return this.v;
  }
  override drop(): void {
    this.dropped++;
  }
}

class Finite extends Stream<string> {
  dropped = 0;
  constructor(private items: string[]) {
    super();
  }
  pollNext(_cx: Context): StreamPoll<string> {
    return this.items.length > 0 ? this.items.shift()! : Done;
  }
  override drop(): void {
    this.dropped++;
  }
}

const cx = contextFromWaker(noopWaker());

test('items come tagged with their key; an ended stream is removed and dropped; Done when empty', () => {
  const m = new StreamMap<string, string>();
  const a = new Finite(['a1', 'a2']);
  const b = new Finite(['b1']);
  m.insert('a', a);
  m.insert('b', b);
  const got: string[] = [];
  for (let v = m.pollNext(cx); v !== Done; v = m.pollNext(cx)) {
    assert.notEqual(v, Pending);
    const [k, item] = v as [string, string];
    got.push(`${k}:${item}`);
  }
  assert.deepEqual(got.sort(), ['a:a1', 'a:a2', 'b:b1']);
  assert.equal(m.len, 0);
  assert.equal(a.dropped, 1);
  assert.equal(b.dropped, 1);
  // Not fused: a stream inserted later is polled.
  m.insert('c', new Finite(['c1']));
  assert.deepEqual(m.pollNext(cx), ['c', 'c1']);
});

test('fairness: two always-ready streams alternate', () => {
  const m = new StreamMap<string, number>();
  m.insert('one', new Forever(1));
  m.insert('two', new Forever(2));
  const seen = { one: 0, two: 0 };
  for (let i = 0; i < 100; i++) {
    const [k] = m.pollNext(cx) as [keyof typeof seen, number];
    seen[k]++;
  }
  assert.deepEqual(seen, { one: 50, two: 50 });
});

test('insert under a taken key and remove hand the stream back undropped; drop() drops all', () => {
  const m = new StreamMap<string, number>();
  const a = new Forever(1);
  const b = new Forever(2);
  const c = new Forever(3);
  assert.equal(m.insert('k', a), undefined);
  assert.equal(m.insert('k', b), a);
  assert.equal(a.dropped, 0);
  m.insert('j', c);
  assert.equal(m.has('k'), true);
  assert.deepEqual([...m.keys()].sort(), ['j', 'k']);
  assert.equal(m.remove('k'), b);
  assert.equal(m.remove('k'), undefined);
  assert.equal(b.dropped, 0);
  m.drop();
  assert.equal(c.dropped, 1);
  assert.equal(m.isEmpty(), true);
  assert.throws(() => m.insert('x', {} as never), /StreamMap.insert expects a Stream/);
});

test('a subscriber waits on whatever it is subscribed to now, in one task', async () => {
  const got = await run(function* main() {
    const [tx1, rx1] = mpsc.unbounded<string>();
    const [tx2, rx2] = mpsc.unbounded<string>();
    const subs = new StreamMap<string, string>();
    subs.insert('news', fromReceiver(rx1));
    subs.insert('sport', fromReceiver(rx2));
    const out: string[] = [];
    tx1.send('n1');
    tx2.send('s1');
    for (let i = 0; i < 2; i++) {
      const r = yield* subs.next();
      out.push(r!.join(':'));
    }
    subs.remove('sport')?.drop();
    assert.throws(() => tx2.send('nobody listens'), /receiver was closed/);
    tx1.send('n2');
    out.push((yield* subs.next())!.join(':'));
    yield* yieldNow();
    tx1.close();
    assert.equal(yield* subs.next(), undefined); // news ended, nothing left
    subs.insert('more', fromIterable(['m1']));
    out.push((yield* subs.next())!.join(':'));
    return out;
  });
  assert.deepEqual(got.slice(0, 2).sort(), ['news:n1', 'sport:s1']);
  assert.deepEqual(got.slice(2), ['news:n2', 'more:m1']);
});
