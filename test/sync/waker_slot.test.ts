import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WakerSlot, WakerBase, contextFromWaker, type Waker } from '../../src/index.js';

class CountingWaker extends WakerBase {
  wakes = 0;
  clones = 0;
  override clone(): Waker {
    this.clones++;
    return this;
  }
  wake(): void {
    this.wakes++;
  }
}

test('WakerSlot.register clones once for the same task, again for another task', () => {
  const a = new CountingWaker();
  const b = new CountingWaker();
  const slot = new WakerSlot();
  assert.equal(slot.isRegistered, false);
  slot.register(contextFromWaker(a));
  slot.register(contextFromWaker(a));
  slot.register(contextFromWaker(a));
  assert.equal(a.clones, 1, 'willWake keeps the stored waker');
  slot.register(contextFromWaker(b));
  assert.equal(b.clones, 1);
  assert.equal(slot.waker, b);
  assert.equal(a.wakes + b.wakes, 0, 'registering never wakes');
});

test('WakerSlot.wake wakes once and empties the slot; take hands the waker over', () => {
  const a = new CountingWaker();
  const slot = new WakerSlot();
  slot.wake();
  slot.registerWaker(a);
  slot.wake();
  slot.wake();
  assert.equal(a.wakes, 1);
  assert.equal(slot.isRegistered, false);
  slot.registerWaker(a);
  assert.equal(slot.take(), a);
  assert.equal(slot.take(), null);
  slot.registerWaker(a);
  slot.wakeByRef();
  slot.wakeByRef();
  assert.equal(a.wakes, 3, 'wakeByRef keeps the waker');
  slot.clear();
  slot.wake();
  assert.equal(a.wakes, 3, 'clear forgets without waking');
});
