import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Future, Pending, Runtime, spawn, yieldNow, JoinError, type Context, type JoinHandle, type Poll, type Waker } from '../../src/index.js';

/** A manual event: pending until set; wakes every waiter (a test double for I/O readiness). */
class Event extends Future<void> {
  set = false;
  private wakers: Waker[] = [];
  poll(cx: Context): Poll<void> {
    if (this.set) return undefined;
    const w = cx.waker;
    if (!this.wakers.some((x) => x.willWake(w))) this.wakers.push(w.clone());
    return Pending;
  }
  fire(): void {
    this.set = true;
    const ws = this.wakers;
    this.wakers = [];
    for (const w of ws) w.wake();
  }
}

type Op =
  | { k: 'yield' }
  | { k: 'spawn'; child: Spec; join: boolean }
  | { k: 'wait'; ev: number }
  | { k: 'fire'; ev: number }
  | { k: 'abortLast' }
  | { k: 'throw' };
interface Spec {
  ops: Op[];
}

const EVENTS = 4;
const opArb = (depth: number): fc.Arbitrary<Op> => {
  const leaf: fc.Arbitrary<Op>[] = [
    fc.constant<Op>({ k: 'yield' }),
    fc.integer({ min: 0, max: EVENTS - 1 }).map<Op>((ev) => ({ k: 'wait', ev })),
    fc.integer({ min: 0, max: EVENTS - 1 }).map<Op>((ev) => ({ k: 'fire', ev })),
    fc.constant<Op>({ k: 'abortLast' }),
    fc.constant<Op>({ k: 'throw' }),
  ];
  if (depth <= 0) return fc.oneof(...leaf);
  return fc.oneof(
    ...leaf,
    fc.record({ child: specArb(depth - 1), join: fc.boolean() }).map<Op>(({ child, join }) => ({ k: 'spawn', child, join })),
  );
};
const specArb = (depth: number): fc.Arbitrary<Spec> => fc.record({ ops: fc.array(opArb(depth), { maxLength: 6 }) });

interface World {
  events: Event[];
  started: Map<number, number>;
  finallies: Map<number, number>;
  running: Set<number>;
  nextId: number;
  reentered: boolean;
}

function* body(spec: Spec, world: World, id: number): Generator<unknown, number, unknown> {
  world.started.set(id, (world.started.get(id) ?? 0) + 1);
  const children: JoinHandle<number>[] = [];
  const enter = () => {
    if (world.running.has(id)) world.reentered = true;
    world.running.add(id);
  };
  const leave = () => world.running.delete(id);
  enter();
  try {
    for (const op of spec.ops) {
      switch (op.k) {
        case 'yield':
          leave();
          yield* yieldNow();
          enter();
          break;
        case 'wait':
          leave();
          yield* world.events[op.ev]!;
          enter();
          break;
        case 'fire':
          world.events[op.ev]!.fire();
          break;
        case 'spawn': {
          const h = spawn(body, op.child, world, world.nextId++);
          children.push(h);
          if (op.join) {
            leave();
            try {
              yield* h;
            } catch (e) {
              if (!(e instanceof JoinError)) throw e;
            }
            enter();
          }
          break;
        }
        case 'abortLast':
          children.at(-1)?.abort();
          break;
        case 'throw':
          throw new Error(`task ${id} throws`);
      }
    }
    return id;
  } finally {
    leave();
    world.finallies.set(id, (world.finallies.get(id) ?? 0) + 1);
  }
}

test('random programs: every task completes once, every finally runs once, no re-entrant poll, no lost wake', async () => {
  await fc.assert(
    fc.asyncProperty(specArb(3), async (root) => {
      const world: World = {
        events: Array.from({ length: EVENTS }, () => new Event()),
        started: new Map(),
        finallies: new Map(),
        running: new Set(),
        nextId: 1,
        reentered: false,
      };
      const rt = new Runtime({ onUnhandledTaskError: () => {} });
      const outcomes = new Map<number, string>();
      const handles: [number, JoinHandle<number>][] = [];
      const main = function* () {
        const h = spawn(body, root, world, 0);
        handles.push([0, h]);
        try {
          yield* h;
        } catch {
          // the root may throw or wait forever: both are fine
        }
      };
      const rootRun = rt.blockOn(main);
      // Let the program run; then release every waiter so nothing can stay blocked on an event.
      for (let round = 0; round < 5; round++) await new Promise((r) => setImmediate(r));
      for (const ev of world.events) ev.fire();
      await rootRun.catch(() => {});
      // Shutdown cancels whatever is still running (tasks waiting on nothing), running finally.
      await rt.shutdown();
      assert.equal(rt.metrics().numAliveTasks, 0, 'every task finished');
      assert.equal(world.reentered, false, 'no task body was entered twice at once');
      for (const [id, n] of world.started) {
        assert.equal(n, 1, `task ${id} started once`);
        assert.equal(world.finallies.get(id), 1, `task ${id} ran its finally exactly once`);
      }
      for (const [id, h] of handles) {
        assert.ok(h.isFinished(), `task ${id} finished`);
        outcomes.set(id, 'done');
      }
    }),
    { numRuns: 150 },
  );
});

test('random wake storms: a task is queued at most once however often it is woken', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 40 }), async (wakesPerPoll) => {
      const rt = new Runtime();
      let polls = 0;
      class Storm extends Future<number> {
        i = 0;
        poll(cx: Context): Poll<number> {
          polls++;
          if (this.i >= wakesPerPoll.length) return polls;
          const n = wakesPerPoll[this.i++]!;
          for (let k = 0; k < n; k++) cx.waker.wakeByRef();
          if (n === 0) {
            const w = cx.waker.clone();
            setImmediate(() => w.wake());
          }
          return Pending;
        }
      }
      const out = await rt.blockOn(new Storm());
      // Exactly one poll per entry (plus the final one): extra wakes never cause extra polls.
      assert.equal(out, wakesPerPoll.length + 1);
      await rt.shutdown();
    }),
    { numRuns: 100 },
  );
});
