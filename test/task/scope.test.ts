import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Runtime,
  run,
  spawn,
  yieldNow,
  pending,
  race,
  ready,
  scope,
  Scope,
  ScopeClosedError,
  JoinError,
  PolledAfterCompletionError,
  abortOnDrop,
  pollFn,
  type Gen,
} from '../../src/index.js';
import { setOnOrphanedChildError } from '../../src/task/scope.js';
import { Gate } from './helpers.js';

function* child(id: string, ticks: number, log: string[]): Gen<string> {
  try {
    for (let i = 0; i < ticks; i++) yield* yieldNow();
    log.push(`done ${id}`);
    return id;
  } finally {
    log.push(`finally ${id}`);
  }
}

function* failing(id: string, ticks: number, log: string[]): Gen<never> {
  for (let i = 0; i < ticks; i++) yield* yieldNow();
  log.push(`fail ${id}`);
  throw new Error(`child ${id} failed`);
}

function* stuck(id: string, log: string[], cleanupTicks: number): Gen<never> {
  try {
    return yield* pending<never>();
  } finally {
    for (let i = 0; i < cleanupTicks; i++) yield* yieldNow();
    log.push(`cleaned ${id}`);
  }
}

test('scope waits for every child before returning the body value', async () => {
  const log: string[] = [];
  const out = await run(function* () {
    const v = yield* scope(function* (s) {
      s.spawn(child, 'a', 5, log);
      s.spawn(child, 'b', 1, log);
      return 'body';
    });
    log.push('after scope');
    return v;
  });
  assert.equal(out, 'body');
  assert.equal(log.at(-1), 'after scope');
  assert.ok(log.includes('done a') && log.includes('done b'));
});

test('scope(body, ...args) passes arguments; s.spawn returns an awaitable typed handle', async () => {
  const out = await run(function* () {
    return yield* scope(
      function* (s: Scope, n: number, tag: string) {
        const h = s.spawn(child, tag, n, []);
        const v: string = yield* h;
        return `${v}:${n}`;
      },
      2,
      'x',
    );
  });
  assert.equal(out, 'x:2');
});

test('a failing child cancels its siblings and the body; the error is rethrown after their cleanup ran', async () => {
  const log: string[] = [];
  const err = await run(function* () {
    try {
      yield* scope(function* (s) {
        s.spawn(stuck, 'a', log, 3);
        s.spawn(failing, 'f', 2, log);
        s.spawn(stuck, 'b', log, 1);
        try {
          yield* pending();
        } finally {
          log.push('body finally');
        }
      });
    } catch (e) {
      log.push('caught');
      return e;
    }
    return null;
  });
  assert.equal((err as Error).message, 'child f failed');
  assert.equal(log[0], 'fail f');
  assert.equal(log.at(-1), 'caught');
  assert.ok(log.indexOf('cleaned a') < log.indexOf('caught'));
  assert.ok(log.indexOf('cleaned b') < log.indexOf('caught'));
  assert.ok(log.includes('body finally'));
});

test('a throwing body cancels the children, waits for them and rethrows', async () => {
  const log: string[] = [];
  const err = await run(function* () {
    try {
      yield* scope(function* (s) {
        s.spawn(stuck, 'a', log, 2);
        yield* yieldNow();
        throw new Error('body failed');
      });
    } catch (e) {
      log.push('caught');
      return (e as Error).message;
    }
    return null;
  });
  assert.equal(err, 'body failed');
  assert.deepEqual(log, ['cleaned a', 'caught']);
});

test('several failures before cancellation took effect give an AggregateError', async () => {
  const err = await run(function* () {
    try {
      yield* scope(function* (s) {
        s.spawn(failing, 'x', 1, []);
        s.spawn(failing, 'y', 1, []);
      });
    } catch (e) {
      return e;
    }
    return null;
  });
  assert.ok(err instanceof AggregateError);
  assert.equal((err as AggregateError).errors.length, 2);
});

test('a child that is aborted is not a failure', async () => {
  const log: string[] = [];
  const out = await run(function* () {
    return yield* scope(function* (s) {
      const h = s.spawn(stuck, 'a', log, 0);
      yield* yieldNow();
      h.abort();
      return 'fine';
    });
  });
  assert.equal(out, 'fine');
  assert.deepEqual(log, ['cleaned a']);
});

test('aborting the task that awaits a scope cancels the children and waits for their cleanup', async () => {
  const log: string[] = [];
  function* parent() {
    try {
      yield* scope(function* (s) {
        s.spawn(stuck, 'a', log, 3);
        s.spawn(stuck, 'b', log, 1);
        try {
          yield* pending();
        } finally {
          yield* yieldNow();
          log.push('body finally');
        }
      });
    } finally {
      log.push('parent finally');
    }
  }
  const out = await run(function* () {
    const h = spawn(parent);
    for (let i = 0; i < 3; i++) yield* yieldNow();
    h.abort();
    try {
      yield* h;
    } catch (e) {
      log.push('joined');
      return e instanceof JoinError && e.isCancelled();
    }
    return false;
  });
  assert.equal(out, true);
  assert.deepEqual(log.slice(-2), ['parent finally', 'joined']);
  assert.ok(log.indexOf('body finally') < log.indexOf('parent finally'), 'the body cleanup (async) ran first');
  assert.ok(log.indexOf('cleaned a') < log.indexOf('parent finally'));
  assert.ok(log.indexOf('cleaned b') < log.indexOf('parent finally'));
});

test('runtime shutdown waits for scoped children before the parent ends', async () => {
  const log: string[] = [];
  const rt = new Runtime();
  function* parent() {
    try {
      yield* scope(function* (s) {
        s.spawn(stuck, 'c', log, 2);
        yield* pending();
      });
    } finally {
      log.push('parent finally');
    }
  }
  rt.spawn(parent);
  await new Promise((r) => setImmediate(r));
  await rt.shutdown();
  assert.deepEqual(log, ['cleaned c', 'parent finally']);
});

test('a scope dropped by a combinator aborts its children and drops its body', async () => {
  const log: string[] = [];
  await run(function* () {
    const r = yield* race(
      scope(function* (s) {
        s.spawn(stuck, 'a', log, 0);
        try {
          yield* pending();
        } finally {
          log.push('body finally');
        }
      }),
      (function* () {
        yield* yieldNow();
        yield* yieldNow();
        return 'other';
      })(),
    );
    log.push(`won ${String(r)}`);
    yield* yieldNow();
    yield* yieldNow();
  });
  assert.deepEqual(log, ['body finally', 'won other', 'cleaned a']);
});

test('children can spawn siblings through the scope handle; the scope waits for all', async () => {
  const log: string[] = [];
  function* spawner(s: Scope, depth: number): Gen<void> {
    yield* yieldNow();
    log.push(`spawner ${depth}`);
    if (depth > 0) s.spawn(spawner, s, depth - 1);
  }
  await run(function* () {
    yield* scope(function* (s) {
      s.spawn(spawner, s, 3);
    });
    log.push('after');
  });
  assert.deepEqual(log, ['spawner 3', 'spawner 2', 'spawner 1', 'spawner 0', 'after']);
});

test('spawning into a finished scope throws ScopeClosedError', async () => {
  const err = await run(function* () {
    let saved: Scope | null = null;
    yield* scope(function* (s) {
      saved = s;
      yield* ready(1);
    });
    try {
      (saved as unknown as Scope).spawn(child, 'late', 0, []);
    } catch (e) {
      return e;
    }
    return null;
  });
  assert.ok(err instanceof ScopeClosedError);
  assert.match((err as Error).message, /child/);
});

test('scope rejects a body that is not a generator function', () => {
  assert.throws(() => scope(42 as never), TypeError);
  assert.throws(() => scope((() => 1) as never), /must be a generator function/);
});

test('a child failure that races with the abort of the parent is reported, not lost', async () => {
  const seen: unknown[] = [];
  const prev = setOnOrphanedChildError((e) => seen.push(e));
  const g = new Gate();
  try {
    function* failsWhenOpened(): Gen<void> {
      yield* g;
      throw new Error('child failed late');
    }
    function* parent() {
      yield* scope(function* (s) {
        s.spawn(failsWhenOpened);
        yield* pending();
      });
    }
    const cancelled = await run(function* () {
      const h = spawn(parent);
      yield* yieldNow();
      yield* yieldNow();
      g.open();
      yield* yieldNow(); // the child fails and wakes the parent...
      h.abort(); // ...which is aborted before it could see the failure
      try {
        yield* h;
      } catch (e) {
        return e instanceof JoinError && e.isCancelled();
      }
      return false;
    });
    assert.equal(cancelled, true);
  } finally {
    setOnOrphanedChildError(prev);
  }
  assert.equal(seen.length, 1);
  assert.equal((seen[0] as Error).message, 'child failed late');
});

test('by default an orphaned child failure goes to the runtime onUnhandledTaskError hook', async () => {
  const seen: { err: unknown; name: string }[] = [];
  const rt = new Runtime({ onUnhandledTaskError: (err, t) => seen.push({ err, name: t.name }) });
  const g = new Gate();
  function* failsWhenOpened(): Gen<void> {
    yield* g;
    throw new Error('orphan');
  }
  function* parent() {
    yield* scope(function* (s) {
      s.spawn(failsWhenOpened);
      yield* pending();
    });
  }
  await rt.blockOn(function* () {
    const h = spawn(parent);
    yield* yieldNow();
    yield* yieldNow();
    g.open();
    yield* yieldNow();
    h.abort();
    try {
      yield* h;
    } catch {
      // cancelled
    }
  });
  await rt.shutdown();
  assert.equal(seen.length, 1);
  assert.equal((seen[0]?.err as Error).message, 'orphan');
  assert.match(seen[0]?.name ?? '', /failsWhenOpened/);
});

test('a scope spawned as a task body (a future) holds its abort the same way', async () => {
  const log: string[] = [];
  function* body(s: Scope): Gen<void> {
    s.spawn(stuck, 'k', log, 2);
    yield* pending();
  }
  await run(function* () {
    const h = spawn(scope(body));
    yield* yieldNow();
    yield* yieldNow();
    h.abort();
    try {
      yield* h;
    } catch (e) {
      log.push(e instanceof JoinError && e.isCancelled() ? 'cancelled' : 'other');
    }
  });
  assert.deepEqual(log, ['cleaned k', 'cancelled']);
});

test('when a child fails, the scope also waits for the async part of the body cleanup', async () => {
  const log: string[] = [];
  function* awaitingCleanup(): Gen<void> {
    try {
      yield* pending();
    } finally {
      yield* yieldNow();
      yield* yieldNow();
      log.push('nested cleaned');
    }
  }
  const err = await run(function* () {
    try {
      yield* scope(function* (s) {
        s.spawn(failing, 'f', 1, log);
        try {
          yield* awaitingCleanup();
        } finally {
          yield* yieldNow();
          log.push('body cleaned');
        }
      });
    } catch (e) {
      log.push('caught');
      return (e as Error).message;
    }
    return null;
  });
  assert.equal(err, 'child f failed');
  assert.equal(log.at(-1), 'caught');
  assert.ok(log.includes('nested cleaned') && log.includes('body cleaned'));
});

test('scopes, join sets and tokens are listed as resources when the registry is on', async () => {
  const { resourceRegistry, listResources } = await import('../../src/runtime/resources.js');
  const { JoinSet, CancellationToken } = await import('../../src/index.js');
  const was = resourceRegistry.enabled;
  resourceRegistry.enabled = true;
  try {
    const kinds = await run(function* () {
      const token = new CancellationToken();
      const set = new JoinSet<void>();
      return yield* scope(function* (s) {
        s.spawn(child, 'r', 2, []);
        const list = listResources();
        void token;
        void set;
        return list.filter((r) => ['scope', 'join-set', 'cancellation-token'].includes(r.kind)).map((r) => `${r.kind}:${r.kind === 'scope' ? String(r.details?.['children']) : ''}`);
      });
    });
    assert.ok(kinds.includes('scope:1'), kinds.join(' '));
    assert.ok(kinds.includes('join-set:'));
    assert.ok(kinds.includes('cancellation-token:'));
  } finally {
    resourceRegistry.enabled = was;
  }
});

test('a scope() future or an abortOnDrop() future polled again after it completed throws PolledAfterCompletionError', async () => {
  const errors = await run(function* main() {
    const s = scope(function* body() {
      return 1;
    });
    const a = abortOnDrop(spawn(child, 'a', 0, []));
    assert.equal(yield* s, 1);
    assert.equal(yield* a, 'a');
    return yield* pollFn((cx) => {
      const out: unknown[] = [];
      for (const f of [s, a]) {
        try {
          f.poll(cx);
        } catch (e) {
          out.push(e);
        }
      }
      return out;
    });
  });
  assert.equal(errors.length, 2);
  for (const e of errors) assert.ok(e instanceof PolledAfterCompletionError && /polled after it completed/.test(e.message), String(e));
});
