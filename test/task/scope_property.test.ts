import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { setOnOrphanedChildError } from '../../src/task/scope.js';
import { Runtime, spawn, yieldNow, scope, shield, type Gen, type JoinHandle, type Scope } from '../../src/index.js';

/** A random program: a tree of tasks; inner nodes open a scope and spawn their children in it. */
interface Node {
  id: number;
  ticks: number;
  fail: boolean;
  cleanupTicks: number;
  shielded: number; // ticks of a shielded section before the work (0: none)
  shieldScope: boolean; // run the scope inside a shield
  children: Node[];
}

interface RawNode {
  ticks: number;
  fail: boolean;
  cleanupTicks: number;
  shielded: number;
  shieldScope: boolean;
  children: RawNode[];
}

const nodeArb = fc.letrec<{ node: RawNode }>((tie) => ({
  node: fc.record({
    ticks: fc.nat(4),
    fail: fc.nat(3).map((x) => x === 0),
    cleanupTicks: fc.nat(2),
    shielded: fc.nat(3).map((x) => (x === 3 ? 2 : 0)),
    shieldScope: fc.nat(3).map((x) => x === 0),
    children: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constant([] as RawNode[]),
      fc.array(tie('node'), { maxLength: 3 }),
    ),
  }),
})).node;

function number(n: RawNode, next: { id: number }): Node {
  return { ...n, id: next.id++, children: n.children.map((c) => number(c, next)) };
}

interface World {
  started: number[];
  finals: number[];
  alive: Set<number>;
  parentOf: Map<number, number>;
  violations: string[];
  handles: JoinHandle<unknown>[];
  shieldDone: number[];
  shieldStarted: number[];
}

function descendants(n: Node, out: number[] = []): number[] {
  for (const c of n.children) {
    out.push(c.id);
    descendants(c, out);
  }
  return out;
}

function* scopeBody(s: Scope, n: Node, w: World): Gen<void> {
  const bodyKey = -1 - n.id;
  w.alive.add(bodyKey);
  try {
    for (const c of n.children) w.handles.push(s.spawn(runNode, c, w));
    for (let i = 0; i < n.ticks; i++) yield* yieldNow();
    if (n.fail) throw new Error(`node ${n.id} failed`);
  } finally {
    try {
      for (let i = 0; i < n.cleanupTicks; i++) yield* yieldNow();
    } finally {
      w.alive.delete(bodyKey);
    }
  }
}

function* shieldedSection(n: Node, w: World): Gen<void> {
  w.shieldStarted[n.id] = 1;
  for (let i = 0; i < n.shielded; i++) yield* yieldNow();
  w.shieldDone[n.id] = 1;
}

function* runNode(n: Node, w: World): Gen<void> {
  w.started[n.id] = (w.started[n.id] ?? 0) + 1;
  w.alive.add(n.id);
  try {
    if (n.shielded > 0) yield* shield(shieldedSection(n, w));
    if (n.children.length === 0) {
      for (let i = 0; i < n.ticks; i++) yield* yieldNow();
      if (n.fail) throw new Error(`leaf ${n.id} failed`);
      return;
    }
    try {
      if (n.shieldScope) yield* shield(scope(scopeBody, n, w));
      else yield* scope(scopeBody, n, w);
    } finally {
      for (const d of descendants(n)) {
        if (w.alive.has(d)) w.violations.push(`task ${d} outlived the scope of ${n.id}`);
      }
      if (w.alive.has(-1 - n.id)) w.violations.push(`the body of the scope of ${n.id} outlived it`);
    }
  } finally {
    w.finals[n.id] = (w.finals[n.id] ?? 0) + 1;
    try {
      // Async cleanup. (An abort arriving while a task that already failed is in its finally
      // interrupts this await, like any await; the inner finally still runs.)
      for (let i = 0; i < n.cleanupTicks; i++) yield* yieldNow();
    } finally {
      w.alive.delete(n.id);
    }
  }
}

test('property: random trees of scope/spawn/fail/abort/shield: every finally runs once, no child outlives its scope, shields complete', async () => {
  await fc.assert(
    fc.asyncProperty(
      nodeArb,
      fc.array(fc.record({ after: fc.nat(6), target: fc.nat(30) }), { maxLength: 4 }),
      async (tree, aborts) => {
        const root = number(tree, { id: 0 });
        const w: World = {
          started: [],
          finals: [],
          alive: new Set(),
          parentOf: new Map(),
          violations: [],
          handles: [],
          shieldDone: [],
          shieldStarted: [],
        };
        const rt = new Runtime({ onUnhandledTaskError: () => {} });
        const prev = setOnOrphanedChildError(() => {});
        await rt.blockOn(function* () {
          const h = spawn(runNode, root, w);
          w.handles.push(h);
          for (const a of aborts) {
            for (let i = 0; i < a.after; i++) yield* yieldNow();
            w.handles[a.target % w.handles.length]?.abort();
          }
          try {
            yield* h;
          } catch {
            // failed or cancelled: both are fine outcomes of a random program
          }
        });
        await rt.shutdown();
        setOnOrphanedChildError(prev);
        assert.deepEqual(w.violations, []);
        assert.equal(w.alive.size, 0, 'every task ended');
        const total = descendants(root).length + 1;
        for (let id = 0; id < total; id++) {
          assert.equal(w.finals[id] ?? 0, w.started[id] ?? 0, `node ${id}: finally ran once iff it started`);
          assert.ok((w.started[id] ?? 0) <= 1);
          if (w.shieldStarted[id] === 1) assert.equal(w.shieldDone[id], 1, `node ${id}: shielded section completed`);
        }
      },
    ),
    { numRuns: 200 },
  );
});
