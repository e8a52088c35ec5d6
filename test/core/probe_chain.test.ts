// chainProbes: two probes on one scheduler both see every hook, in order; a plain NoopProbe or
// no probe is not chained; restoring the saved probe unchains. And inside a simulated host the
// console's instrumentation joins the simulator's probe instead of replacing it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Runtime, spawn, yieldNow, type Gen } from '../../src/index.js';
import { NoopProbe, chainProbes } from '../../src/runtime/probe.js';
import { Instrument, instrumentOf } from '../../src/console/instrument.js';
import { Sim } from '../../src/sim/index.js';
import type { Task } from '../../src/runtime/task/task.js';

class Recorder extends NoopProbe {
  readonly events: string[] = [];
  constructor(private readonly tag: string, private readonly into: string[]) {
    super();
  }
  override onSpawn(t: Task<unknown>): void {
    this.into.push(`${this.tag} spawn ${t.name}`);
  }
  override beforePoll(t: Task<unknown>): void {
    this.into.push(`${this.tag} poll ${t.name}`);
  }
  override onComplete(t: Task<unknown>): void {
    this.into.push(`${this.tag} done ${t.name}`);
  }
}

function* pair(): Gen<void> {
  const h = spawn(function* child(): Gen<void> {
    yield* yieldNow();
  });
  yield* h;
}

test('a chain calls both probes for every hook, first then second; restoring unchains', async () => {
  const rt = new Runtime();
  try {
    const log: string[] = [];
    const a = new Recorder('a', log);
    const b = new Recorder('b', log);
    assert.equal(chainProbes(null, b), b);
    assert.equal(chainProbes(new NoopProbe(), b), b, 'a plain NoopProbe is dropped, not chained');
    const prev = rt.executor.setProbe(a);
    const beforeChain = rt.executor.setProbe(chainProbes(rt.executor.probe, b));
    await rt.blockOn(pair);
    const lines = log.filter((l) => l.includes('child'));
    assert.ok(lines.length >= 6, lines.join('\n'));
    for (let i = 0; i < lines.length; i += 2) {
      assert.equal(lines[i]!.slice(2), lines[i + 1]!.slice(2), `both saw the same hook: ${lines.join(' | ')}`);
      assert.ok(lines[i]!.startsWith('a ') && lines[i + 1]!.startsWith('b '), 'first, then second');
    }
    rt.executor.setProbe(beforeChain);
    log.length = 0;
    await rt.blockOn(pair);
    assert.ok(log.length > 0 && log.every((l) => l.startsWith('a ')), 'the chain is gone');
    rt.executor.setProbe(prev);
  } finally {
    await rt.shutdown();
  }
});

function* instrumented(attach: boolean): Gen<void> {
  if (attach) new Instrument(Runtime.current()).attach();
  for (let i = 0; i < 5; i++) {
    const hs = [spawn(pair), spawn(pair)];
    for (const h of hs) yield* h;
  }
  if (attach) {
    const ins = instrumentOf(Runtime.current());
    assert.ok(ins !== undefined, "the console's instrumentation is attached inside the host");
    ins.detach();
  }
}

test("inside a simulated host the console's instrumentation joins the simulator's probe", async () => {
  const plain = await new Sim({ seed: 6 }).client('t', instrumented, false).run();
  const withConsole = await new Sim({ seed: 6 }).client('t', instrumented, true).run();
  assert.equal(withConsole.steps, plain.steps);
  assert.equal(withConsole.traceHash, plain.traceHash, 'the simulator still hears every spawn and wake');
});
