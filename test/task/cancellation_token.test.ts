import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  run,
  spawn,
  yieldNow,
  pending,
  select,
  CancellationToken,
  CancelledError,
  type Gen,
} from '../../src/index.js';

function* waitFor(token: CancellationToken, log: string[], id: string): Gen<void> {
  yield* token.cancelled();
  log.push(`woke ${id}`);
}

test('cancel() wakes every cancelled() waiter; isCancelled reflects it; cancel is idempotent', async () => {
  const log: string[] = [];
  const token = new CancellationToken();
  await run(function* () {
    const hs = [spawn(waitFor, token, log, 'a'), spawn(waitFor, token, log, 'b')];
    yield* yieldNow();
    assert.equal(token.isCancelled(), false);
    assert.equal(token.resourceInfo().waiters, 2);
    token.cancel();
    token.cancel();
    for (const h of hs) yield* h;
  });
  assert.equal(token.isCancelled(), true);
  assert.deepEqual(log.sort(), ['woke a', 'woke b']);
  assert.equal(token.resourceInfo().waiters, 0);
});

test('cancelled() on an already-cancelled token is ready at once', async () => {
  const token = new CancellationToken();
  token.cancel('why');
  const out = await run(function* () {
    yield* token.cancelled();
    return token.reason;
  });
  assert.equal(out, 'why');
});

test('child tokens: parent cancel cascades down, child cancel does not go up, cancelled children unlink', () => {
  const root = new CancellationToken();
  const a = root.child();
  const b = root.child();
  const a1 = a.child();
  assert.equal(root.childCount(), 2);
  b.cancel();
  assert.equal(root.isCancelled(), false);
  assert.equal(root.childCount(), 1, 'a cancelled child leaves its parent');
  root.cancel('stop');
  assert.ok(a.isCancelled() && a1.isCancelled());
  assert.equal(a1.reason, 'stop');
  const late = root.child();
  assert.equal(late.isCancelled(), true, 'a child of a cancelled token starts cancelled');
});

test('token.signal aborts on cancel; fromSignal follows an AbortSignal', () => {
  const t = new CancellationToken();
  const sig = t.signal;
  assert.equal(sig.aborted, false);
  t.cancel();
  assert.equal(sig.aborted, true);
  assert.ok(sig.reason instanceof CancelledError);

  const late = new CancellationToken();
  late.cancel('r');
  assert.equal(late.signal.aborted, true);
  assert.equal(late.signal.reason, 'r');

  const ctl = new AbortController();
  const f = CancellationToken.fromSignal(ctl.signal);
  assert.equal(f.isCancelled(), false);
  ctl.abort('bye');
  assert.equal(f.isCancelled(), true);
  assert.equal(f.reason, 'bye');
  assert.equal(CancellationToken.fromSignal(AbortSignal.abort()).isCancelled(), true);
  assert.throws(() => CancellationToken.fromSignal({} as AbortSignal), /expects an AbortSignal/);
});

test('runUntilCancelled gives the value, or undefined once cancelled (dropping the future)', async () => {
  const token = new CancellationToken();
  const out = await run(function* () {
    function* slow(): Gen<string> {
      try {
        yield* pending();
        return 'never';
      } finally {
        log.push('slow dropped');
      }
    }
    const log: string[] = [];
    const a = yield* token.runUntilCancelled(
      (function* () {
        yield* yieldNow();
        return 'value';
      })(),
    );
    const h = spawn(function* canceller() {
      yield* yieldNow();
      token.cancel();
    });
    const b = yield* token.runUntilCancelled(slow());
    yield* h;
    return [a, b, log];
  });
  assert.deepEqual(out, ['value', undefined, ['slow dropped']]);
});

test('dropGuard cancels when disposed', () => {
  const t = new CancellationToken();
  {
    using _g = t.dropGuard();
  }
  assert.equal(t.isCancelled(), true);
});

test('property: dropped cancelled() waiters leave the list in O(1) and never leak', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.boolean(), { minLength: 1, maxLength: 40 }), async (keep) => {
      const token = new CancellationToken();
      const res = await run(function* () {
        const futs = keep.map(() => token.cancelled());
        // Register every waiter: poll each in a select that a ready branch wins after the poll.
        for (const f of futs) {
          const r = yield* select({ f, go: yieldNow() }, { biased: true });
          assert.equal(r.key, 'go');
        }
        return token.resourceInfo().waiters;
      });
      assert.equal(res, 0, 'select dropped every losing waiter');
    }),
    { numRuns: 30 },
  );
});

test('a select between cancelled() and work: the waiter is removed when work wins', async () => {
  const token = new CancellationToken();
  const out = await run(function* () {
    let rounds = 0;
    for (let i = 0; i < 100; i++) {
      const r = yield* select({ stop: token.cancelled(), work: yieldNow() });
      if (r.key === 'work') rounds++;
    }
    return [rounds, token.resourceInfo().waiters];
  });
  assert.deepEqual(out, [100, 0]);
});
