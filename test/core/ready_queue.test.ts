// The current-thread ready queue (src/runtime/scheduler/current_thread/ready_queue.ts) against
// an array model: push, unshift, shift and takeAt in any order, through growth from 16 slots.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ReadyQueue } from '../../src/runtime/scheduler/current_thread/ready_queue.js';

const op = fc.oneof(
  fc.record({ k: fc.constant('push' as const), n: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ k: fc.constant('unshift' as const), n: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ k: fc.constant('shift' as const), n: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ k: fc.constant('takeAt' as const), n: fc.nat({ max: 50 }) }),
);

test('property: the queue gives what an array model gives, unshifted entries first', () => {
  fc.assert(
    fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
      const q = new ReadyQueue<number>(16);
      const model: number[] = [];
      let next = 0;
      for (const o of ops) {
        if (o.k === 'push' || o.k === 'unshift') {
          for (let i = 0; i < o.n; i++) {
            const v = next++;
            if (o.k === 'push') {
              q.push(v, v);
              model.push(v);
            } else {
              q.unshift(v, v);
              model.unshift(v);
            }
          }
        } else if (o.k === 'shift') {
          for (let i = 0; i < o.n; i++) {
            const v = model.shift();
            assert.equal(q.shift(), v);
            if (v !== undefined) assert.equal(q.lastAt, v); // the time stored beside it
          }
        } else {
          const v = o.n < model.length ? model.splice(o.n, 1)[0] : undefined;
          assert.equal(q.takeAt(o.n), v);
        }
        assert.equal(q.length, model.length);
      }
      for (let i = 0; i < model.length; i++) assert.equal(q.peek(i), model[i]);
    }),
    { numRuns: 300 },
  );
});
