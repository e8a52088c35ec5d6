import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Wheel, levelFor, nextSlot, slotFor, WHEEL_RANGE } from '../../src/runtime/time/wheel.js';
import { FIRED, FREE, IDLE, slab } from '../../src/runtime/time/slab.js';

/** Level boundaries: 64^k - 1, 64^k, 64^k + 1 for every level, and the wheel's range. */
const BOUNDARIES: number[] = [];
for (let k = 1; k <= 6; k++) {
  const b = 64 ** k;
  BOUNDARIES.push(b - 1, b, b + 1);
}
BOUNDARIES.push(WHEEL_RANGE - 2, 2 ** 37, 2 ** 40 + 3);

test('nextSlot finds the first occupied slot at or after s, wrapping, across both words', () => {
  assert.equal(nextSlot(0b100, 0, 0), 2);
  assert.equal(nextSlot(0b100, 0, 2), 2);
  assert.equal(nextSlot(0b100, 0, 3), 2); // wraps
  assert.equal(nextSlot(0b100, 1, 3), 32);
  assert.equal(nextSlot(0, 1 << 31, 0), 63);
  assert.equal(nextSlot(1 << 31, 0, 5), 31);
  assert.equal(nextSlot(1, 1 << 4, 40), 0); // wraps from the high word to the low one
  assert.equal(nextSlot(0, (1 << 4) | (1 << 10), 40), 42);
  assert.equal(nextSlot(0, 1 << 4, 40), 36); // wraps within the high word
  // Against a scan, for every start slot and many masks.
  for (let trial = 0; trial < 300; trial++) {
    const lo = (Math.random() * 2 ** 32) | 0;
    const hi = trial % 3 === 0 ? 0 : (Math.random() * 2 ** 32) | 0;
    if ((lo | hi) === 0) continue;
    for (let s = 0; s < 64; s++) {
      let want = -1;
      for (let i = 0; i < 64; i++) {
        const slot = (s + i) % 64;
        const bit = slot < 32 ? (lo >>> slot) & 1 : (hi >>> (slot - 32)) & 1;
        if (bit) {
          want = slot;
          break;
        }
      }
      assert.equal(nextSlot(lo, hi, s), want, `lo=${lo} hi=${hi} s=${s}`);
    }
  }
});

test('levelFor is the highest differing 6-bit group, slotFor the group value', () => {
  assert.equal(levelFor(0, 1), 0);
  assert.equal(levelFor(0, 63), 0);
  assert.equal(levelFor(0, 64), 1);
  assert.equal(levelFor(63, 64), 1);
  assert.equal(levelFor(64, 127), 0);
  assert.equal(levelFor(0, 4095), 1);
  assert.equal(levelFor(0, 4096), 2);
  assert.equal(levelFor(0, 2 ** 30 - 1), 4);
  assert.equal(levelFor(0, 2 ** 30), 5);
  assert.equal(levelFor(2 ** 30 + 5, 2 ** 30 + 70), 1);
  assert.equal(levelFor(2 ** 36 - 1, 2 ** 36 + 5), 5);
  assert.equal(slotFor(4096 * 3 + 64 * 5 + 7, 0), 7);
  assert.equal(slotFor(4096 * 3 + 64 * 5 + 7, 1), 5);
  assert.equal(slotFor(4096 * 3 + 64 * 5 + 7, 2), 3);
  assert.equal(slotFor(2 ** 30 * 65, 5), 1);
});

/** Allocates an entry armed at `when`; returns -1 (and frees it) if it is already due. */
function arm(w: Wheel, when: number): number {
  const e = slab.alloc();
  if (!w.insert(e, when)) {
    slab.free(e);
    return -1;
  }
  return e;
}

function pollAll(w: Wheel, now: number): number[] {
  const out: number[] = [];
  w.poll(now, out);
  return out;
}

test('an entry fires at its deadline exactly, never a tick before, at every level boundary', () => {
  for (const start of [0, 1, 62, 63, 64, 4095, 4096, 2 ** 30 - 1, 2 ** 36 - 1]) {
    for (const delay of [1, 2, ...BOUNDARIES]) {
      const w = new Wheel(start);
      const when = start + delay;
      const e = arm(w, when);
      assert.ok(e >= 0);
      assert.equal(w.count, 1);
      // The earliest slot never starts after the deadline.
      assert.ok(w.nextDeadline() <= when, `start ${start} delay ${delay}`);
      assert.deepEqual(pollAll(w, when - 1), [], `early at start ${start} delay ${delay}`);
      assert.equal(slab.loc[e], when - 1 > start ? slab.loc[e] : slab.loc[e]);
      assert.ok((slab.loc[e] as number) >= 0, 'still armed one tick before');
      assert.deepEqual(pollAll(w, when), [e], `start ${start} delay ${delay}`);
      assert.equal(slab.loc[e], FIRED);
      assert.equal(w.count, 0);
      slab.free(e);
    }
  }
});

test('a deadline already processed is refused (the caller completes at once)', () => {
  const w = new Wheel(100);
  const e = slab.alloc();
  assert.equal(w.insert(e, 100), false);
  assert.equal(w.insert(e, 50), false);
  assert.equal(slab.loc[e], IDLE);
  slab.free(e);
  assert.equal(slab.loc[e], FREE);
});

test('remove is O(1) unlinking from the head, middle and tail of a slot list', () => {
  const w = new Wheel(0);
  const es = [arm(w, 10), arm(w, 10), arm(w, 10), arm(w, 10)];
  w.remove(es[1]!);
  w.remove(es[3]!);
  w.remove(es[0]!);
  assert.equal(w.count, 1);
  assert.deepEqual(pollAll(w, 10), [es[2]]);
  for (const e of es) slab.free(e);
  const e = arm(w, 500);
  w.remove(e);
  assert.equal(w.nextDeadline(), Infinity, 'occupancy bit cleared');
  slab.free(e);
});

test('many entries in one slot fire in insertion order; cascades keep deadline order', () => {
  const w = new Wheel(0);
  const a = arm(w, 5000);
  const b = arm(w, 4100);
  const c = arm(w, 5000);
  const d = arm(w, 70);
  const out = pollAll(w, 10_000);
  assert.deepEqual(out, [d, b, a, c]);
  for (const e of out) slab.free(e);
});

test('deadlines past the range are parked, re-filed, and still never fire early', () => {
  const w = new Wheel(7);
  const far = 7 + 2 ** 38 + 12345;
  const e = arm(w, far);
  assert.equal(w.count, 1);
  assert.deepEqual(pollAll(w, 7 + WHEEL_RANGE), []);
  assert.deepEqual(pollAll(w, far - 1), []);
  assert.deepEqual(pollAll(w, far), [e]);
  slab.free(e);
});

interface Op {
  kind: 'insert' | 'cancel' | 'reset' | 'advance' | 'advanceTo';
  a: number;
  b: number;
}

const delayArb = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 200 }) },
  { weight: 3, arbitrary: fc.constantFrom(...BOUNDARIES) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 300_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 2 ** 37 }) },
);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant<'insert'>('insert'), a: delayArb, b: fc.constant(0) }),
  fc.record({ kind: fc.constant<'cancel'>('cancel'), a: fc.nat(), b: fc.constant(0) }),
  fc.record({ kind: fc.constant<'reset'>('reset'), a: fc.nat(), b: delayArb }),
  fc.record({ kind: fc.constant<'advance'>('advance'), a: delayArb, b: fc.constant(0) }),
  fc.record({ kind: fc.constant<'advanceTo'>('advanceTo'), a: fc.nat(), b: fc.integer({ min: -1, max: 1 }) }),
);
const startArb = fc.oneof(fc.constantFrom(0, 1, 63, 64, 4095, 4096, 262143, 2 ** 30 - 1, 2 ** 36 - 1), fc.integer({ min: 0, max: 2 ** 40 }));

test('property: the wheel fires exactly what a sorted-list model fires, in deadline order, never early', () => {
  fc.assert(
    fc.property(startArb, fc.array(opArb, { maxLength: 60 }), (start, ops) => {
      const w = new Wheel(start);
      let now = start;
      // Model: live timers by entry, with their deadline and insertion sequence.
      const model = new Map<number, { when: number; seq: number }>();
      let seq = 0;
      const held: number[] = [];
      const insert = (delay: number): void => {
        const when = now + delay;
        const e = arm(w, when);
        if (e < 0) {
          assert.ok(when <= now, 'only a due deadline is refused');
          return;
        }
        assert.ok(when > now);
        model.set(e, { when, seq: seq++ });
        held.push(e);
      };
      const pick = (k: number): number | undefined => {
        const live = [...model.keys()];
        return live.length === 0 ? undefined : live[k % live.length];
      };
      const advanceTo = (t: number): void => {
        if (t < now) t = now;
        const out = pollAll(w, t);
        const want = [...model.entries()]
          .filter(([, m]) => m.when <= t)
          .sort((x, y) => x[1].when - y[1].when)
          .map(([e]) => e);
        assert.deepEqual(new Set(out), new Set(want), `fired set at ${t}`);
        assert.equal(out.length, want.length);
        let last = -Infinity;
        let lastSeq = -1;
        for (const e of out) {
          const m = model.get(e)!;
          assert.ok(m.when <= t, 'never early');
          assert.ok(m.when >= last, 'deadline order');
          if (m.when === last) assert.ok(m.seq > lastSeq, 'equal deadlines fire in arming order');
          last = m.when;
          lastSeq = m.seq;
          assert.equal(slab.loc[e], FIRED);
          model.delete(e);
          slab.free(e);
          held.splice(held.indexOf(e), 1);
        }
        now = t;
        assert.equal(w.elapsed, t);
      };
      for (const op of ops) {
        switch (op.kind) {
          case 'insert':
            insert(op.a);
            break;
          case 'cancel': {
            const e = pick(op.a);
            if (e === undefined) break;
            w.remove(e);
            model.delete(e);
            slab.free(e);
            held.splice(held.indexOf(e), 1);
            break;
          }
          case 'reset': {
            const e = pick(op.a);
            if (e === undefined) break;
            w.remove(e);
            model.delete(e);
            slab.free(e);
            held.splice(held.indexOf(e), 1);
            insert(op.b);
            break;
          }
          case 'advance':
            advanceTo(now + op.a);
            break;
          case 'advanceTo': {
            const e = pick(op.a);
            if (e === undefined) break;
            advanceTo(model.get(e)!.when + op.b);
            break;
          }
        }
        assert.equal(w.count, model.size);
        let min = Infinity;
        for (const m of model.values()) if (m.when < min) min = m.when;
        const nd = w.nextDeadline();
        assert.ok(nd <= min, 'the earliest slot starts no later than the earliest deadline');
        if (min === Infinity) assert.equal(nd, Infinity);
        else assert.ok(nd > now);
      }
      // Drain: everything left fires, in order, at or after its deadline.
      advanceTo(now + 2 ** 41);
      assert.equal(w.count, 0);
      assert.equal(held.length, 0);
    }),
    { numRuns: 400 },
  );
});

test('property: firing at each next slot start, step by step, matches the model too', () => {
  fc.assert(
    fc.property(startArb, fc.array(delayArb, { minLength: 1, maxLength: 40 }), (start, delays) => {
      const w = new Wheel(start);
      const whens = new Map<number, number>();
      for (const d of delays) {
        const e = arm(w, start + d);
        if (e >= 0) whens.set(e, start + d);
      }
      const fired: number[] = [];
      let steps = 0;
      while (w.count > 0) {
        const t = w.nextDeadline();
        const out = pollAll(w, t);
        for (const e of out) {
          assert.ok(whens.get(e)! <= t, 'never early');
          assert.ok(whens.get(e)! === t, 'fires at the exact deadline when stepping slot by slot');
          fired.push(e);
        }
        assert.ok(++steps < 10_000);
      }
      const want = [...whens.entries()].sort((a, b) => a[1] - b[1]).map(([e]) => e);
      assert.deepEqual(fired.map((e) => whens.get(e)), want.map((e) => whens.get(e)));
      for (const e of fired) slab.free(e);
    }),
    { numRuns: 300 },
  );
});

test('slotStartOf is when an entry next needs processing: never after its deadline, after elapsed', () => {
  for (const start of [0, 5, 63, 64, 4095, 2 ** 30 - 3]) {
    for (const delay of [1, 2, 40, ...BOUNDARIES]) {
      const w = new Wheel(start);
      const e = arm(w, start + delay);
      const s = w.slotStartOf(e);
      assert.ok(s > start && s <= start + delay, `start ${start} delay ${delay}: ${s}`);
      assert.ok(s >= w.nextDeadline());
      w.remove(e);
      slab.free(e);
    }
  }
});
