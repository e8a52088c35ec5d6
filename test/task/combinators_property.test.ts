/**
 * Random trees of join / tryJoin / race / biased select over leaves that take a number of polls
 * and then succeed or fail, checked against a model: the value or error, and every leaf's
 * `finally` running exactly once if it started (completed, or dropped as a loser).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { run, yieldNow, join, tryJoin, race, select, fromGenerator, Future, type Gen } from '../../src/index.js';

type Tree =
  | { k: 'leaf'; ticks: number; fail: boolean }
  | { k: 'join' | 'tryJoin' | 'race' | 'select'; kids: Tree[] };

const treeArb = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ k: fc.constant('leaf' as const), ticks: fc.nat(5), fail: fc.nat(4).map((x) => x === 0) }),
    fc.record({
      k: fc.constantFrom('join' as const, 'tryJoin' as const, 'race' as const, 'select' as const),
      kids: fc.array(tie('tree'), { minLength: 1, maxLength: 7 }),
    }),
  ),
})).tree;

/** The model's outcome: when (in polls) and what. */
interface Outcome {
  t: number;
  ok: boolean;
  v: unknown; // value, or the normalised error
}

function model(tree: Tree, ids: { n: number }): Outcome {
  if (tree.k === 'leaf') {
    const id = ids.n++;
    return { t: tree.ticks, ok: !tree.fail, v: tree.fail ? `leaf ${id}` : id };
  }
  const kids = tree.kids.map((c) => model(c, ids));
  if (tree.k === 'race' || tree.k === 'select') {
    const tmin = Math.min(...kids.map((o) => o.t));
    const w = kids.find((o) => o.t === tmin) as Outcome;
    const i = kids.indexOf(w);
    return { t: tmin, ok: w.ok, v: w.ok && tree.k === 'select' ? { key: `b${i}`, value: w.v } : w.v };
  }
  const tmax = Math.max(...kids.map((o) => o.t));
  const fails = kids.map((o, i) => ({ o, i })).filter((x) => !x.o.ok);
  if (tree.k === 'tryJoin' && fails.length > 0) {
    const tf = Math.min(...fails.map((x) => x.o.t));
    return { t: tf, ok: false, v: (fails.find((x) => x.o.t === tf) as { o: Outcome }).o.v };
  }
  if (fails.length === 0) return { t: tmax, ok: true, v: kids.map((o) => o.v) };
  const ordered = fails.sort((a, b) => a.o.t - b.o.t || a.i - b.i).map((x) => x.o.v);
  return { t: tmax, ok: false, v: ordered.length === 1 ? ordered[0] : `agg(${ordered.join(',')})` };
}

function norm(e: unknown): unknown {
  if (e instanceof AggregateError) return `agg(${e.errors.map(norm).join(',')})`;
  if (e instanceof Error) return e.message;
  return e;
}

function* leaf(id: number, ticks: number, fail: boolean, finals: number[]): Gen<number> {
  finals[id] = 0; // started (a generator that was dropped before it started runs no finally)
  try {
    for (let i = 0; i < ticks; i++) yield* yieldNow();
    if (fail) throw new Error(`leaf ${id}`);
    return id;
  } finally {
    finals[id] = (finals[id] ?? 0) + 1;
  }
}

function build(tree: Tree, ids: { n: number }, finals: number[]): Future<unknown> | Generator<unknown, unknown, unknown> {
  if (tree.k === 'leaf') return leaf(ids.n++, tree.ticks, tree.fail, finals);
  const kids = tree.kids.map((c) => build(c, ids, finals));
  if (tree.k === 'join') return join(...kids);
  if (tree.k === 'tryJoin') return tryJoin(...kids);
  if (tree.k === 'race') return race(...kids);
  const branches: Record<string, Future<unknown> | Generator<unknown, unknown, unknown>> = {};
  kids.forEach((k, i) => (branches[`b${i}`] = k));
  return select(branches, { biased: true });
}

test('property: random combinator trees agree with the model; every started leaf runs its finally exactly once', async () => {
  await fc.assert(
    fc.asyncProperty(treeArb, async (tree) => {
      const expected = model(tree, { n: 0 });
      const finals: number[] = [];
      const ids = { n: 0 };
      const built = build(tree, ids, finals);
      const fut = built instanceof Future ? built : fromGenerator(built);
      const got = await run(function* () {
        try {
          const v = yield* fut;
          return { ok: true, v };
        } catch (e) {
          return { ok: false, v: norm(e) };
        }
      });
      assert.deepEqual(got, { ok: expected.ok, v: expected.v });
      for (let i = 0; i < ids.n; i++) assert.ok(finals[i] === undefined || finals[i] === 1, `leaf ${i}: finally ran once if it started`);
    }),
    { numRuns: 300 },
  );
});
