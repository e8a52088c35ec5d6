import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Runtime,
  run,
  spawn,
  yieldNow,
  pending,
  future,
  join,
  race,
  select,
  shield,
  scope,
  taskLocal,
  JoinError,
  type Gen,
} from '../../src/index.js';
import { setOnHeldError } from '../../src/task/cancel_hold.js';
import { Gate } from './helpers.js';

function* steps(n: number, log: string[], tag: string): Gen<string> {
  for (let i = 0; i < n; i++) {
    yield* yieldNow();
    log.push(`${tag} ${i}`);
  }
  return tag;
}

function* abortAfter(h: { abort(): void }, ticks: number): Gen<void> {
  for (let i = 0; i < ticks; i++) yield* yieldNow();
  h.abort();
}

test('a shielded section returns its value like the future it wraps', async () => {
  const out = await run(function* () {
    return yield* shield(steps(2, [], 'v'));
  });
  assert.equal(out, 'v');
});

test('an abort during a shield waits for it; then the task unwinds without resuming after it', async () => {
  const log: string[] = [];
  function* worker() {
    try {
      yield* shield(steps(5, log, 'write'));
      log.push('after shield (must not run)');
    } finally {
      log.push('finally');
    }
  }
  const cancelled = await run(function* () {
    const h = spawn(worker);
    spawn(abortAfter, h, 2);
    try {
      yield* h;
      return false;
    } catch (e) {
      log.push('joined');
      return e instanceof JoinError && e.isCancelled();
    }
  });
  assert.equal(cancelled, true);
  assert.deepEqual(log, ['write 0', 'write 1', 'write 2', 'write 3', 'write 4', 'finally', 'joined']);
});

test('enclosing generator frames unwind only after the shielded section finished', async () => {
  const log: string[] = [];
  function* inner() {
    try {
      yield* shield(steps(4, log, 's'));
    } finally {
      log.push('inner finally');
    }
  }
  function* worker() {
    try {
      yield* join(future(inner), pending());
    } finally {
      log.push('outer finally');
    }
  }
  await run(function* () {
    const h = spawn(worker);
    yield* yieldNow();
    yield* yieldNow();
    h.abort();
    try {
      yield* h;
    } catch {
      // cancelled
    }
  });
  assert.deepEqual(log, ['s 0', 's 1', 's 2', 's 3', 'inner finally', 'outer finally']);
});

test('while an abort waits, only the shielded sections are polled (a racing branch cannot resume the task)', async () => {
  const log: string[] = [];
  const quick = new Gate<string>();
  function* worker() {
    const r = yield* race(shield(steps(4, log, 's')), quick);
    log.push(`resumed with ${r} (must not happen)`);
  }
  await run(function* () {
    const h = spawn(worker);
    yield* yieldNow();
    h.abort();
    quick.open('quick');
    try {
      yield* h;
    } catch {
      log.push('cancelled');
    }
  });
  assert.deepEqual(log, ['s 0', 's 1', 's 2', 's 3', 'cancelled']);
});

test('several shields in a join all complete before the abort proceeds', async () => {
  const log: string[] = [];
  function* worker() {
    yield* join(shield(steps(2, log, 'a')), shield(steps(4, log, 'b')), pending());
  }
  await run(function* () {
    const h = spawn(worker);
    yield* yieldNow();
    h.abort();
    try {
      yield* h;
    } catch {
      log.push('cancelled');
    }
  });
  assert.equal(log.at(-1), 'cancelled');
  assert.ok(log.includes('a 1') && log.includes('b 3'));
});

test('a shield dropped by select finishes in a background task', async () => {
  const log2: string[] = [];
  const out = await run(function* () {
    const stop = new Gate<string>();
    const sel = select({ write: shield(future(steps, 4, log2, 'w')), stop }, { biased: true });
    const h = spawn(sel);
    yield* yieldNow();
    stop.open('stop');
    const r = yield* h;
    log2.push(`select gave ${r.key}`);
    for (let i = 0; i < 6; i++) yield* yieldNow();
    return r.key;
  });
  assert.equal(out, 'stop');
  assert.ok(log2.indexOf('select gave stop') < log2.indexOf('w 3'), 'select did not wait');
  assert.ok(log2.includes('w 3'), 'the write still completed');
});

test('a shield that never started is dropped like any future', async () => {
  const g = new Gate();
  const s = shield(g);
  s.drop();
  assert.equal(g.drops, 1);
});

test('runtime shutdown waits for a shielded section', async () => {
  const log: string[] = [];
  const g = new Gate();
  const rt = new Runtime();
  function* section(): Gen<void> {
    yield* g;
    log.push('section done');
  }
  function* worker() {
    yield* shield(section());
    log.push('not reached');
  }
  rt.spawn(worker);
  await new Promise((r) => setImmediate(r));
  let shutDown = false;
  const p = rt.shutdown().then(() => {
    shutDown = true;
  });
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(shutDown, false, 'shutdown waits for the shield');
  g.open();
  await p;
  assert.deepEqual(log, ['section done']);
});

test('an error from a shield is thrown at the yield* as usual; after an abort it is reported', async () => {
  function* bad(): Gen<void> {
    yield* yieldNow();
    throw new Error('shielded failure');
  }
  const caught = await run(function* () {
    try {
      yield* shield(bad());
    } catch (e) {
      return (e as Error).message;
    }
    return null;
  });
  assert.equal(caught, 'shielded failure');

  const seen: unknown[] = [];
  const prev = setOnHeldError((e) => seen.push(e));
  try {
    function* worker() {
      yield* shield(bad());
    }
    await run(function* () {
      const h = spawn(worker);
      yield* yieldNow();
      h.abort();
      try {
        yield* h;
      } catch (e) {
        assert.ok(e instanceof JoinError && e.isCancelled());
      }
    });
  } finally {
    setOnHeldError(prev);
  }
  assert.equal(seen.length, 1);
  assert.equal((seen[0] as Error).message, 'shielded failure');
});

test('nested shields: the inner section gives its value to the outer one during a held abort', async () => {
  const log: string[] = [];
  function* outerSection(): Gen<void> {
    const a = yield* shield(steps(2, log, 'inner'));
    log.push(`outer got ${a}`);
    yield* steps(1, log, 'outer tail');
  }
  function* worker() {
    try {
      yield* shield(outerSection());
      log.push('not reached');
    } finally {
      log.push('finally');
    }
  }
  await run(function* () {
    const h = spawn(worker);
    yield* yieldNow();
    h.abort();
    try {
      yield* h;
    } catch {
      log.push('cancelled');
    }
  });
  assert.deepEqual(log, ['inner 0', 'inner 1', 'outer got inner', 'outer tail 0', 'finally', 'cancelled']);
});

test('a scope inside a shield is not cancelled by an abort: its children complete', async () => {
  const log: string[] = [];
  function* job(id: string): Gen<void> {
    for (let i = 0; i < 3; i++) yield* yieldNow();
    log.push(`job ${id} done`);
  }
  function* section(): Gen<void> {
    yield* scope(function* (s) {
      s.spawn(job, 'a');
      s.spawn(job, 'b');
    });
    log.push('scope done');
  }
  function* worker() {
    yield* shield(section());
    log.push('not reached');
  }
  await run(function* () {
    const h = spawn(worker);
    yield* yieldNow();
    h.abort();
    try {
      yield* h;
    } catch {
      log.push('cancelled');
    }
  });
  assert.deepEqual(log.sort(), ['cancelled', 'job a done', 'job b done', 'scope done']);
});

test('a shielded section keeps seeing the task-locals of its callers when driven alone', async () => {
  const ID = taskLocal<string>('ID');
  const TENANT = taskLocal<string>('TENANT');
  const seen: string[] = [];
  function* audit(n: number): Gen<void> {
    for (let i = 0; i < n; i++) {
      yield* yieldNow();
      seen.push(`${ID.tryGet() ?? '-'}/${TENANT.tryGet() ?? '-'}`);
    }
  }
  function* worker() {
    yield* TENANT.scope('t1', ID.scope('outer', ID.scope('req-1', shield(audit(3)))));
  }
  await run(function* () {
    // 1: the task is aborted during the section: the gate drives it, locals re-installed.
    const h = spawn(worker);
    yield* yieldNow();
    h.abort();
    try {
      yield* h;
    } catch {
      // cancelled
    }
    // 2: the section is dropped by race and finishes in a background task.
    yield* ID.scope('req-2', race(shield(audit(3)), yieldNow()));
    for (let i = 0; i < 5; i++) yield* yieldNow();
  });
  assert.deepEqual(seen, ['req-1/t1', 'req-1/t1', 'req-1/t1', 'req-2/-', 'req-2/-', 'req-2/-']);
});
