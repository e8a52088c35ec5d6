import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  PolledAfterCompletionError, Semaphore, join, ready, race, select, noopWaker, contextFromWaker, fromIterable, timeout,
  lazy, future,
} from '../../src/index.js';
import { checkInt, checkCountAtLeast, checkDuration, checkFunction, describeValue } from '../../src/util/args.js';

const cx = contextFromWaker(noopWaker());

test('every built-in future polled after it completed throws PolledAfterCompletionError', () => {
  const futs = [
    join(ready(1)),
    race(ready(1)),
    select({ a: ready(1) }),
    fromIterable([1, 2]).collect(),
    timeout(10, ready(1)),
    lazy(() => ready(1)),
    future(function* () {
      return 1;
    }),
  ];
  for (const f of futs) {
    f.poll(cx);
    assert.throws(() => f.poll(cx), (e: unknown) => e instanceof PolledAfterCompletionError && /polled after it completed/.test(e.message));
  }
});

test('the argument checks reject NaN, non-integers and strings with a message naming the value', () => {
  assert.equal(checkInt('n', 3, 0, 5), 3);
  assert.throws(() => checkInt('n', '3', 0, 5), /n must be an integer in \[0, 5\], got "3" \(a string\)/);
  assert.throws(() => checkInt('n', NaN, 0, 5), RangeError);
  assert.equal(checkCountAtLeast('take(n)', Infinity, 0), Infinity);
  assert.throws(() => checkCountAtLeast('take(n)', 1.5, 0), /take\(n\): n must be an integer >= 0, got 1.5/);
  assert.throws(() => checkDuration('sleep', -1), /sleep: duration must be a non-negative/);
  assert.throws(() => checkFunction('map(f)', 1), TypeError);
  assert.equal(describeValue(null), 'null');
  assert.throws(() => new Semaphore(-1), /Semaphore permits must be an integer/);
});
