// The payload heap's buddy allocator: no overlap, full coalescing (fast-check).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BuddyHeap, MIN_BLOCK } from '../../src/runtime/scheduler/multi_thread/buddy.js';

function heapOf(bytes: number): BuddyHeap {
  const b = new BuddyHeap(new Int32Array(40), 4, new Int32Array(new ArrayBuffer(bytes - (bytes % 4))), bytes);
  b.init();
  return b;
}

type Op = { alloc: number } | { free: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ alloc: fc.oneof(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 20_000 })) }),
  fc.record({ free: fc.nat() }),
);

test('buddy heap: live blocks never overlap and stay inside the heap; freeing everything coalesces back', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 1024 }), fc.array(opArb, { maxLength: 300 }), (units, ops) => {
      const bytes = units * MIN_BLOCK;
      const b = heapOf(bytes);
      const initial = b.freeStats();
      assert.equal(initial.free, bytes);
      const live: { at: number; size: number }[] = [];
      for (const op of ops) {
        if ('alloc' in op) {
          const k = b.orderFor(op.alloc);
          if (k < 0) continue;
          const at = b.alloc(k);
          if (at < 0) {
            // Fails only when no free block of order >= k exists.
            assert.ok(b.freeStats().largest < BuddyHeap.size(k));
            continue;
          }
          const size = BuddyHeap.size(k);
          assert.ok(at >= 0 && at + size <= bytes, 'inside the heap');
          assert.equal(at % size, 0, 'aligned to its size');
          for (const l of live) assert.ok(at + size <= l.at || l.at + l.size <= at, `block ${at}+${size} overlaps ${l.at}+${l.size}`);
          live.push({ at, size });
        } else if (live.length > 0) {
          const [l] = live.splice(op.free % live.length, 1);
          b.free(l!.at);
        }
        const used = live.reduce((s, l) => s + l.size, 0);
        assert.equal(b.freeStats().free + used, bytes, 'every byte is in exactly one block');
      }
      for (const l of live.splice(0)) b.free(l.at);
      assert.deepEqual(b.freeStats(), initial, 'all freed: back to the initial blocks');
    }),
    { numRuns: 300 },
  );
});

test('buddy heap: a power-of-two heap coalesces to one block; a burst of small blocks leaves room for a big one', () => {
  const b = heapOf(128 * 1024);
  assert.equal(b.freeStats().blocks, 1);
  const small = b.orderFor(100 * 8);
  const got: number[] = [];
  for (;;) {
    const at = b.alloc(small);
    if (at < 0) break;
    got.push(at);
  }
  for (const at of got) b.free(at);
  assert.equal(b.freeStats().blocks, 1);
  const big = b.alloc(b.orderFor(100 * 1024));
  assert.ok(big >= 0, 'a large block after a burst of small ones');
  b.free(big);
  assert.throws(() => b.free(big), /freed twice or corrupt/);
});
