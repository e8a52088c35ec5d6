import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Ring } from '../../src/util/ring.js';

test('property: Ring behaves as a bounded FIFO array through random push/shift programs', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 40 }), fc.array(fc.boolean(), { maxLength: 300 }), (cap, ops) => {
      const r = new Ring<number>(2, cap);
      const model: number[] = [];
      let n = 0;
      for (const push of ops) {
        if (push) {
          const ok = r.push(n);
          assert.equal(ok, model.length < cap);
          if (ok) model.push(n);
          n++;
        } else {
          assert.equal(r.shift(), model.shift());
        }
        assert.equal(r.length, model.length);
        assert.equal(r.peek(), model[0]);
        assert.equal(r.isFull(), model.length >= cap);
      }
      assert.deepEqual(r.drain(), model);
    }),
  );
});

test('Ring without a bound grows; clear forgets everything', () => {
  const r = new Ring<string>();
  for (let i = 0; i < 1000; i++) assert.equal(r.push(String(i)), true);
  assert.equal(r.length, 1000);
  assert.equal(r.shift(), '0');
  r.clear();
  assert.equal(r.length, 0);
  assert.equal(r.shift(), undefined);
});
