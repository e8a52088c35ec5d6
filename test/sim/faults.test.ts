// Faults at virtual times: a partition makes a client's timeout fire and repair lets it succeed;
// crash resets connections (peers see ECONNRESET); bounce restarts the body; hold delays
// without loss.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sim } from '../../src/sim/index.js';
import { Elapsed, Instant, IoError, sleep, timeout, type Gen } from '../../src/index.js';
import { KvConn, kvHost } from './kv_app.js';

test('a partition makes the client timeout fire; after repair the retry succeeds', async () => {
  const log: string[] = [];
  function* client(): Gen<void> {
    yield* sleep(10); // the partition starts at 5 ms
    for (let attempt = 1; ; attempt++) {
      try {
        const reply = yield* timeout(100, function* () {
          const c = yield* KvConn.open();
          try {
            return yield* c.call('SET k v');
          } finally {
            c.close();
          }
        }());
        log.push(`attempt ${attempt}: ${reply} at ${Math.round(Instant.now().valueOf())}`);
        return;
      } catch (e) {
        if (!(e instanceof Elapsed)) throw e;
        log.push(`attempt ${attempt}: timeout`);
      }
    }
  }
  const sim = new Sim({ seed: 5 }).host('kv', kvHost).client('c', client);
  sim.at(5, () => sim.partition('c', 'kv'));
  sim.at(150, () => sim.repair('c', 'kv')); // during attempt 2, whose SYN was lost
  const r = await sim.run();
  assert.deepEqual(log.slice(0, 2), ['attempt 1: timeout', 'attempt 2: timeout']);
  assert.equal(log.length, 3);
  assert.match(log[2]!, /^attempt 3: OK at \d+$/);
  assert.ok(r.elapsedMs >= 210 && r.elapsedMs < 300, `finished at ${r.elapsedMs}`);
});

test('crash during requests: the client sees ECONNRESET; bounce brings the server back', async () => {
  const store = new Map<string, string>(); // outlives the server process, like a disk
  const seen: string[] = [];
  function* client(): Gen<void> {
    const c = yield* KvConn.open();
    yield* c.call('SET a 1');
    try {
      for (;;) {
        yield* c.call('GET a');
        yield* sleep(5);
      }
    } catch (e) {
      assert.ok(e instanceof IoError, String(e));
      seen.push(e.code);
    }
    c.close();
    // The host is being restarted: retry until it listens again.
    for (;;) {
      try {
        const c2 = yield* KvConn.open();
        seen.push(yield* c2.call('GET a'));
        c2.close();
        return;
      } catch (e) {
        if (!(e instanceof IoError)) throw e;
        yield* sleep(20);
      }
    }
  }
  const sim = new Sim({ seed: 11 }).host('kv', kvHost, store).client('c', client);
  sim.at(100, () => sim.bounce('kv'));
  await sim.run();
  assert.deepEqual(seen, ['ECONNRESET', '1']);
});

test('crash: the host stays down, its tasks are dropped (finally runs) and connects get no answer', async () => {
  const events: string[] = [];
  function* server(): Gen<void> {
    try {
      yield* kvHost();
    } finally {
      events.push('server finally');
    }
  }
  function* client(): Gen<void> {
    yield* sleep(50);
    try {
      yield* timeout(200, KvConn.open());
      events.push('connected');
    } catch (e) {
      events.push(e instanceof Elapsed ? 'connect timed out' : String(e));
    }
  }
  const sim = new Sim({ seed: 2 }).host('kv', server).client('c', client);
  sim.at(10, () => sim.crash('kv'));
  await sim.run();
  assert.deepEqual(events, ['server finally', 'connect timed out']);
});

test('hold delays traffic without losing it until release', async () => {
  let answeredAt = -1;
  function* client(): Gen<void> {
    const c = yield* KvConn.open();
    yield* sleep(20);
    assert.equal(yield* c.call('SET x 1'), 'OK');
    answeredAt = Instant.now().valueOf();
    c.close();
  }
  const sim = new Sim({ seed: 8 }).host('kv', kvHost).client('c', client);
  sim.at(15, () => sim.hold('c', 'kv'));
  sim.at(500, () => sim.release('c', 'kv'));
  await sim.run();
  assert.ok(answeredAt >= 500 && answeredAt < 520, `answered at ${answeredAt}`);
});

test('sim.at callbacks run at their virtual times, in order', async () => {
  const at: number[] = [];
  const sim = new Sim({ seed: 1 }).client('c', function* () {
    yield* sleep(100);
  });
  for (const ms of [30, 10, 20, 10]) sim.at(ms, () => at.push(sim.elapsedMs()));
  await sim.run();
  assert.deepEqual(at, [10, 10, 20, 30]);
});
