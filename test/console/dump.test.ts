import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DeadlockError, Future, Pending, Runtime, future, join, mpsc, setAwaitTracing, sleep, startConsole, timeout, yieldNow, type Context, type Poll } from '../../src/index.js';
import { ForgetfulFuture, Parked } from './demo_app.js';

// Locations are the user's source lines: this test's .ts file (mapped through its source map).
const here = fileURLToPath(new URL('../../../test/console/dump.test.ts', import.meta.url));
const source = readFileSync(here, 'utf8').split('\n');
/** `file:line` of the line holding `marker` in this test's source file. */
function lineOf(marker: string): string {
  const i = source.findIndex((l) => l.includes(marker) && !l.includes('lineOf('));
  assert.ok(i >= 0, `marker ${marker}`);
  return `${here}:${i + 1}:`;
}

const turn = (): Promise<void> => new Promise((r) => setTimeout(r, 5));

function* writeAll(p: Parked) {
  yield* p; // @site-writeAll
}

function* handleClient(p: Parked) {
  yield* yieldNow();
  yield* future(writeAll, p); // @site-handleClient
}

test('dump: chain from the task body to the leaf, with the source line of each yield*', async () => {
  const rt = new Runtime();
  startConsole(rt, { port: 0 });
  const p = new Parked('TcpStream.write', 'drain');
  const h = rt.spawn(handleClient, p);
  await turn();
  const dump = rt.dump();
  const lines = dump.split('\n');
  const i = lines.findIndex((l) => l.startsWith(`task handleClient (id ${h.id}, spawned at ${here}:`));
  assert.ok(i >= 0, dump);
  assert.match(lines[i]!, /\) idle for [\d.]+ (µs|ms|s), polls 2, wakes 1 \(1 self\), busy /);
  assert.match(lines[i + 1]!, /^ {2}awaits: handleClient > writeAll > TcpStream\.write \(waiting [\d.]+ (µs|ms|s) for drain\)$/);
  assert.ok(lines[i + 2]!.startsWith(`    at handleClient ${lineOf('@site-handleClient')}`), lines[i + 2]);
  assert.ok(lines[i + 3]!.startsWith(`    at writeAll ${lineOf('@site-writeAll')}`), lines[i + 3]);
  p.release();
  await h;
  assert.ok(!rt.dump().includes(`id ${h.id},`), 'a finished task leaves the dump');
  await rt.shutdown();
});

function* inner(p: Parked) {
  yield* p; // @site-inner
}
function* outer(p: Parked) {
  yield* inner(p); // @site-outer
}

test('dump: generators delegated to directly (yield* gen()) appear as frames of the chain', async () => {
  const rt = new Runtime();
  startConsole(rt, { port: 0 });
  rt.spawn(outer, new Parked('Recv', ''));
  await turn();
  const lines = rt.dump().split('\n');
  const i = lines.findIndex((l) => l.startsWith('task outer'));
  assert.match(lines[i + 1]!, /awaits: outer > inner > Recv \(waiting [^)]*\)$/);
  assert.ok(lines[i + 2]!.startsWith(`    at outer ${lineOf('@site-outer')}`));
  assert.ok(lines[i + 3]!.startsWith(`    at inner ${lineOf('@site-inner')}`));
  await rt.shutdown();
});

class Both extends Future<void> {
  constructor(readonly a: Future<unknown>, readonly b: Future<unknown>) {
    super();
  }
  poll(cx: Context): Poll<void> {
    this.a.poll(cx);
    this.b.poll(cx);
    return Pending;
  }
  traceLabel(): string {
    return 'join';
  }
  traceChildren(): readonly Future<unknown>[] {
    return [this.a, this.b];
  }
}
function* left(p: Parked) {
  yield* p;
}
function* joiner(a: Parked, b: Parked) {
  yield* new Both(future(left, a), b);
}

test('dump: combinators show their branches through traceChildren()', async () => {
  const rt = new Runtime();
  rt.spawn(joiner, new Parked('Sleep', ''), new Parked('Recv', 'a message'));
  await turn();
  const line = rt.dump().split('\n').find((l) => l.includes('awaits: joiner'));
  assert.equal(line, '  awaits: joiner > join > [left > Sleep | Recv (waiting for a message)]');
  await rt.shutdown();
});

test('dump: without tracing the chain still names every future (no source lines)', async () => {
  const rt = new Runtime();
  const h = rt.spawn(handleClient, new Parked('TcpStream.write', 'drain'));
  await turn();
  const lines = rt.dump().split('\n');
  const i = lines.findIndex((l) => l.includes(`(id ${h.id},`));
  assert.equal(lines[i + 1], '  awaits: handleClient > writeAll > TcpStream.write (waiting for drain)');
  assert.ok(!(lines[i + 2] ?? '').startsWith('    at '));
  await rt.shutdown();
});

function* stuck() {
  yield* new ForgetfulFuture(); // @site-stuck
}

test('dump: lost waker and not-started tasks are spelled out', async () => {
  const rt = new Runtime();
  setAwaitTracing(true);
  try {
    const h = rt.spawn(stuck);
    await turn();
    const d = rt.dump();
    assert.match(d, new RegExp(`task stuck \\(id ${h.id}[^\\n]*\\n  awaits: stuck > ForgetfulFuture \\(waiting [^)]*\\)\\n    at stuck [^\\n]*\\n  lost waker: its last poll returned Pending without reading cx.waker`));
    assert.match(d, /lint lost-waker: task stuck/);
  } finally {
    setAwaitTracing(false);
  }
  await rt.shutdown();
  const rt2 = new Runtime();
  const idle = rt2.spawn(stuck);
  assert.match(rt2.dump(), new RegExp(`task stuck \\(id ${idle.id}[^\\n]*scheduled[^\\n]*\\n  ready to run`));
  await rt2.shutdown();
});

test('DeadlockError messages carry the await chains', async () => {
  const rt = new Runtime();
  startConsole(rt, { port: 0 });
  await assert.rejects(rt.blockOn(stuck), (e: unknown) => {
    assert.ok(e instanceof DeadlockError);
    assert.match(e.message, /deadlock: task stuck/);
    assert.match(e.message, /awaits: stuck > ForgetfulFuture \(waiting/);
    assert.ok(e.message.includes(`at stuck ${lineOf('@site-stuck')}`), e.message);
    assert.ok(e.tasks.some((l) => l.includes('lost waker: its last poll')));
    return true;
  });
  await rt.shutdown();
});

function* manySuspensions(n: number) {
  for (let i = 0; i < n; i++) yield* yieldNow();
}

test('await tracing: after a burst uses the budget up, a slower program is traced again', async () => {
  const rt = new Runtime();
  startConsole(rt, { port: 0 });
  await rt.blockOn(manySuspensions, 2000); // spends the burst
  await new Promise((r) => setTimeout(r, 50)); // the budget refills (10 per ms)
  const h = rt.spawn(stuck);
  await turn();
  const lines = rt.dump().split('\n');
  const i = lines.findIndex((l) => l.startsWith(`task stuck (id ${h.id}`));
  assert.ok(lines[i + 2]!.startsWith(`    at stuck ${lineOf('@site-stuck')}`), lines.slice(i, i + 3).join('\n'));
  await rt.shutdown();
});

function* recvOne(rx: mpsc.Receiver<number>) {
  return yield* rx.recv(); // @site-recv
}
function* joinMain(rx: mpsc.Receiver<number>) {
  yield* join(future(recvOne, rx), sleep(60_000)); // @site-join
}
function* timed() {
  yield* timeout(60_000, sleep(120_000));
}

test("dump: kyoto's join, timeout, sleep and mpsc are followed without extra hooks", async () => {
  const rt = new Runtime();
  startConsole(rt, { port: 0 });
  const [tx, rx] = mpsc.channel<number>(1);
  const a = rt.spawn(joinMain, rx);
  const b = rt.spawn(timed);
  await turn();
  const lines = rt.dump().split('\n');
  const i = lines.findIndex((l) => l.startsWith(`task joinMain (id ${a.id}`));
  assert.match(lines[i + 1]!, /^ {2}awaits: joinMain > Join > \[recvOne > \w+ \(waiting [^)]*\) \| Sleep \(waiting [^)]* for sleep, due in \d+ ms\)\]$/);
  assert.ok(lines[i + 2]!.startsWith(`    at joinMain ${lineOf('@site-join')}`));
  assert.ok(lines[i + 3]!.startsWith(`    at recvOne ${lineOf('@site-recv')}`));
  const j = lines.findIndex((l) => l.startsWith(`task timed (id ${b.id}`));
  assert.match(lines[j + 1]!, /^ {2}awaits: timed > Timeout > Sleep \(waiting [^)]* for sleep, due in \d+ ms\)$/);
  tx.close();
  await rt.shutdown();
});
