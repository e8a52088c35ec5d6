/**
 * The resource adapters against small fakes of the structural interfaces they accept (the real
 * kyoto resources are tested in adapters.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Future,
  Pending,
  fromBroadcast,
  fromInterval,
  fromReceiver,
  fromSignal,
  fromWatch,
  incoming,
  lines,
  run,
  type Context,
  type Poll,
  type Waker,
} from '../../src/index.js';

/** A queue of results, each a value or an error to throw; `closed` ends it. */
class FakeSource<T> {
  readonly items: ({ ok: T } | { err: unknown })[] = [];
  waker: Waker | null = null;
  closed = 0;
  futuresDropped = 0;
  push(v: T): void {
    this.items.push({ ok: v });
    this.waker?.wake();
  }
  fail(e: unknown): void {
    this.items.push({ err: e });
    this.waker?.wake();
  }
  close(): void {
    this.closed++;
  }
  next(): Future<T> {
    return new FakeFuture(this);
  }
}
class FakeFuture<T> extends Future<T> {
  constructor(private readonly src: FakeSource<T>) {
    super();
  }
  poll(cx: Context): Poll<T> {
    const it = this.src.items.shift();
    if (it === undefined) {
      this.src.waker = cx.waker.clone();
      return Pending;
    }
    if ('err' in it) throw it.err;
    return it.ok;
  }
  override drop(): void {
    this.src.futuresDropped++;
  }
}

class FakeReceiver<T> extends FakeSource<T | undefined> {
  recv(): Future<T | undefined> {
    return this.next();
  }
}

test('fromReceiver: values until undefined, then the receiver is closed once', async () => {
  const rx = new FakeReceiver<number>();
  rx.push(1);
  rx.push(2);
  rx.push(undefined);
  assert.deepEqual(await run(fromReceiver(rx).collect()), [1, 2]);
  assert.equal(rx.closed, 1);
});

test('fromReceiver: dropping while a recv is pending drops that recv and closes the receiver', async () => {
  const rx = new FakeReceiver<number>();
  rx.push(1);
  await run(function* () {
    const s = fromReceiver(rx);
    assert.equal(yield* s.next(), 1);
    const noop: Waker = { wake() {}, wakeByRef() {}, clone: () => noop, willWake: () => true };
    assert.equal(s.pollNext({ waker: noop }), Pending);
    s.drop();
    s.drop();
  });
  assert.equal(rx.futuresDropped, 1);
  assert.equal(rx.closed, 1);
  const keep = new FakeReceiver<number>();
  keep.push(undefined);
  await run(fromReceiver(keep, { closeOnDrop: false }).collect());
  assert.equal(keep.closed, 0);
});

class Lagged extends Error {
  override name = 'Lagged';
  constructor(readonly n: number) {
    super(`Lagged(${n})`);
  }
}

test('fromBroadcast: Lagged goes to onLagged and the stream continues; without it, it is thrown', async () => {
  const rx = new FakeReceiver<string>();
  rx.push('a');
  rx.fail(new Lagged(3));
  rx.push('e');
  rx.push(undefined);
  const missed: number[] = [];
  assert.deepEqual(await run(fromBroadcast(rx, { onLagged: (n) => missed.push(n) }).collect()), ['a', 'e']);
  assert.deepEqual(missed, [3]);

  const rx2 = new FakeReceiver<string>();
  rx2.push('a');
  rx2.fail(new Lagged(2));
  rx2.push('d');
  rx2.push(undefined);
  const out = await run(function* () {
    const s = fromBroadcast(rx2);
    const got: unknown[] = [yield* s.next()];
    try {
      yield* s.next();
    } catch (e) {
      got.push((e as Lagged).n);
    }
    got.push(yield* s.next(), yield* s.next());
    return got;
  });
  assert.deepEqual(out, ['a', 2, 'd', undefined]);
});

class FakeWatch<T> {
  changes = new FakeSource<void>();
  closed = 0;
  constructor(public value: T) {}
  set(v: T): void {
    this.value = v;
    this.changes.push(undefined);
  }
  borrowAndUpdate(): T {
    return this.value;
  }
  changed(): Future<void> {
    return this.changes.next();
  }
  close(): void {
    this.closed++;
  }
}

test('fromWatch: the current value first, then each change; ends when the sender closes', async () => {
  const w = new FakeWatch('v1');
  const got = await run(function* () {
    const s = fromWatch(w);
    const out = [yield* s.next()];
    w.set('v2');
    out.push(yield* s.next());
    w.changes.fail(Object.assign(new Error('watch sender was closed'), { name: 'RecvError' }));
    out.push(yield* s.next());
    return out;
  });
  assert.deepEqual(got, ['v1', 'v2', undefined]);
  assert.equal(w.closed, 1);

  const w2 = new FakeWatch(1);
  w2.changes.fail(new TypeError('something else'));
  await assert.rejects(run(fromWatch(w2).collect()), TypeError);
});

class FakeInterval {
  ticks = 0;
  dropped = 0;
  tick(): Future<number> {
    const self = this;
    return new (class extends Future<number> {
      poll(): Poll<number> {
        return ++self.ticks;
      }
    })();
  }
  drop(): void {
    this.dropped++;
  }
}

test('fromInterval: ticks forever until take ends it; the interval is dropped once', async () => {
  const iv = new FakeInterval();
  assert.deepEqual(await run(fromInterval(iv).take(3).collect()), [1, 2, 3]);
  assert.equal(iv.ticks, 3, 'no tick is awaited after the last one taken');
  assert.equal(iv.dropped, 1);
});

class FakeSignal extends FakeSource<number | null> {
  recv(): Future<number | null> {
    return this.next();
  }
}

test('fromSignal: arrival counts until the listener closes (null)', async () => {
  const sig = new FakeSignal();
  sig.push(1);
  sig.push(2);
  sig.push(null);
  assert.deepEqual(await run(fromSignal(sig).collect()), [1, 2]);
  assert.equal(sig.closed, 1);
});

class FakeListener extends FakeSource<readonly [string, string]> {
  accept(): Future<readonly [string, string]> {
    return this.next();
  }
}

test('incoming: connections until the listener is closed; other errors are thrown', async () => {
  const l = new FakeListener();
  l.push(['conn1', 'addr1']);
  l.push(['conn2', 'addr2']);
  l.fail(Object.assign(new Error('accept on 127.0.0.1:1 failed: the listener is closed'), { code: 'CLOSED' }));
  assert.deepEqual(await run(incoming(l).collect()), ['conn1', 'conn2']);
  assert.equal(l.closed, 1);

  const l2 = new FakeListener();
  l2.fail(Object.assign(new Error('too many open files'), { code: 'EMFILE' }));
  await assert.rejects(run(incoming(l2).collect()), /too many open files/);
});

class FakeReader extends FakeSource<string | null> {
  readLine(): Future<string | null> {
    return this.next();
  }
}

test('lines: lines until EOF; the reader is not closed', async () => {
  const rd = new FakeReader();
  for (const l of ['GET a', 'GET b', 'QUIT', 'never']) rd.push(l);
  rd.push(null);
  assert.deepEqual(await run(lines(rd).takeWhile((l) => l !== 'QUIT').collect()), ['GET a', 'GET b']);
  assert.equal(rd.closed, 0);
});

test('adapters reject things that are not resources', () => {
  assert.throws(() => fromReceiver({} as never), /fromReceiver: expected an object with a recv\(\) method/);
  assert.throws(() => incoming(null as never), /incoming: expected an object with an accept\(\) method, got null/);
});
