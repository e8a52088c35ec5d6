// A Registration keeps one reader and one writer waker apart: each readiness bit wakes the side
// it concerns, an error or a deregistration wakes both, and a second task on the same side
// replaces the first (the reader's slot is the registration itself; the writer's is made when a
// writer first waits).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WakerBase, contextFromWaker, type Waker } from '../../src/index.js';
import { ERROR, READABLE, READ_CLOSED, Registration, WRITABLE, type RegistrationHost } from '../../src/runtime/io/registration.js';
import type { IoCounters } from '../../src/runtime/io/counters.js';

class CountingWaker extends WakerBase {
  wakes = 0;
  override clone(): Waker {
    return this;
  }
  wake(): void {
    this.wakes++;
  }
}

function registration(): { reg: Registration; removed: () => number } {
  let removed = 0;
  const host: RegistrationHost = { counters: {} as IoCounters, add() {}, remove: () => void removed++ };
  const reg = new Registration('test', host, { forceClose() {}, label: () => 'r' });
  return { reg, removed: () => removed };
}

test('readiness wakes the side it concerns: READABLE the reader, WRITABLE the writer', () => {
  const { reg } = registration();
  const r = new CountingWaker();
  const w = new CountingWaker();
  assert.equal(reg.writer, null, 'no writer slot before a writer waits');
  reg.registerReader(contextFromWaker(r));
  reg.registerWriter(contextFromWaker(w));
  assert.equal(reg.reader, r);
  assert.equal(reg.writer, w);
  reg.setReadiness(READABLE);
  assert.deepEqual([r.wakes, w.wakes], [1, 0]);
  assert.equal(reg.reader, null, 'a wake empties the slot');
  assert.equal(reg.writer, w);
  reg.setReadiness(WRITABLE);
  assert.deepEqual([r.wakes, w.wakes], [1, 1]);
  reg.setReadiness(READ_CLOSED);
  assert.deepEqual([r.wakes, w.wakes], [1, 1], 'nobody waits any more: nothing to wake');
});

test('an error and a deregistration wake both sides; a later reader replaces an earlier one', () => {
  const { reg, removed } = registration();
  const r1 = new CountingWaker();
  const r2 = new CountingWaker();
  const w = new CountingWaker();
  reg.registerReader(contextFromWaker(r1));
  reg.registerReader(contextFromWaker(r2));
  reg.registerWriter(contextFromWaker(w));
  reg.setError(new Error('boom'));
  assert.deepEqual([r1.wakes, r2.wakes, w.wakes], [0, 1, 1]);
  assert.equal((reg.readiness & ERROR) !== 0, true);
  reg.registerReader(contextFromWaker(r1));
  reg.registerWriter(contextFromWaker(w));
  reg.deregister();
  reg.deregister();
  assert.deepEqual([r1.wakes, w.wakes, removed()], [1, 2, 1]);
  assert.equal(reg.isOpen(), false);
});
