import { test } from 'node:test';
import assert from 'node:assert/strict';
import { run, spawn, yieldNow, future, join, pending, race, taskLocal, TaskLocalAccessError, type Gen } from '../../src/index.js';

const REQUEST_ID = taskLocal<string>('REQUEST_ID');

function* readId(log: string[], tag: string): Gen<string> {
  log.push(`${tag} start ${REQUEST_ID.tryGet() ?? '-'}`);
  yield* yieldNow();
  log.push(`${tag} resumed ${REQUEST_ID.tryGet() ?? '-'}`);
  return REQUEST_ID.get();
}

test('the value is visible while the wrapped future is polled, across awaits, and not outside', async () => {
  const log: string[] = [];
  const out = await run(function* () {
    const v = yield* REQUEST_ID.scope('r-1', readId(log, 'a'));
    return [v, REQUEST_ID.tryGet(), REQUEST_ID.isSet()];
  });
  assert.deepEqual(out, ['r-1', undefined, false]);
  assert.deepEqual(log, ['a start r-1', 'a resumed r-1']);
});

test('concurrent scopes in one task keep their own values; nested scopes: the innermost wins', async () => {
  const log: string[] = [];
  const out = await run(function* () {
    const [a, b] = yield* join(REQUEST_ID.scope('A', readId(log, 'a')), REQUEST_ID.scope('B', readId(log, 'b')));
    const nested = yield* REQUEST_ID.scope(
      'outer',
      (function* () {
        const inner = yield* REQUEST_ID.scope('inner', readId([], 'n'));
        return [inner, REQUEST_ID.get()];
      })(),
    );
    return [a, b, nested];
  });
  assert.deepEqual(out, ['A', 'B', ['inner', 'outer']]);
  assert.deepEqual(log, ['a start A', 'b start B', 'a resumed A', 'b resumed B']);
});

test('get() outside a scope throws TaskLocalAccessError naming the local', () => {
  assert.throws(() => REQUEST_ID.get(), (e: unknown) => e instanceof TaskLocalAccessError && /REQUEST_ID/.test(e.message));
});

test('spawned tasks do not inherit the value; inherit() passes it on explicitly', async () => {
  const out = await run(function* () {
    return yield* REQUEST_ID.scope(
      'req-7',
      (function* () {
        const plain = yield* spawn(function* child() {
          return REQUEST_ID.tryGet() ?? 'unset';
        });
        const passed = yield* spawn(REQUEST_ID.inherit(future(readId, [], 'c')));
        return [plain, passed];
      })(),
    );
  });
  assert.deepEqual(out, ['unset', 'req-7']);
});

test('the value is visible to finally blocks run when the scope is dropped', async () => {
  const seen: (string | undefined)[] = [];
  function* guarded(): Gen<void> {
    try {
      yield* pending();
    } finally {
      seen.push(REQUEST_ID.tryGet());
    }
  }
  await run(function* () {
    yield* race(REQUEST_ID.scope('dropped', guarded()), yieldNow());
  });
  assert.deepEqual(seen, ['dropped']);
});

test('syncScope sets the value for a synchronous call', () => {
  assert.equal(
    REQUEST_ID.syncScope('s', () => REQUEST_ID.get()),
    's',
  );
  assert.equal(REQUEST_ID.tryGet(), undefined);
});

function* handleClient(tag: string): Gen<string> {
  yield* yieldNow();
  return `${tag}:${REQUEST_ID.tryGet() ?? 'unset'}`;
}

test('bind(body) is the spawn(body, ...args) form of inherit', async () => {
  const out = await run(function* () {
    return yield* REQUEST_ID.scope(
      'req-9',
      (function* () {
        const a = yield* spawn(REQUEST_ID.bind(handleClient), 'bound');
        const b = yield* spawn(handleClient, 'plain');
        return [a, b];
      })(),
    );
  });
  assert.deepEqual(out, ['bound:req-9', 'plain:unset']);
});
