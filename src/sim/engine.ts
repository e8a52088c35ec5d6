/**
 * The simulation's engine: one loop drives every host. While some task of some host is ready it
 * polls exactly one (chosen by the seeded strategy); only when every host is idle does virtual
 * time move, straight to the next event (a timer, a packet, a scheduled fault), and deliver it.
 * `Sim` (sim.ts) is the public face over it.
 *
 * While the engine drives a host (boots it, polls one of its tasks, delivers events, drops it),
 * the run's own task id source is installed (`JoinHandle.id` inside the run: unique in the run,
 * the same in every replay); between those sections — wherever the loop awaits and code outside
 * the run may execute — the process's source is back.
 *
 * Invariants (each tested): the same seed and the same program give the same `traceHash`
 * (test/sim/determinism.test.ts) and the same task ids (test/sim/task_ids.test.ts); virtual time
 * never moves while a task is ready; a run ends when every client finished, and fails with
 * `SimError` on a client error, an unawaited task failure, a deadlock or a limit
 * (test/sim/errors.test.ts, test/sim/deadlock.test.ts); faults act at their virtual time
 * (test/sim/faults.test.ts). Why a macrotask turn every 1024 polls and at each idle point:
 * promise callbacks then land at points that depend only on the step count, so they cannot
 * perturb determinism, while a long run still lets the process breathe.
 * @module
 */
import type { Future } from '../future/future.js';
import type { JoinHandle } from '../runtime/task/join_handle.js';
import { Runtime } from '../runtime/runtime.js';
import { TaskIdSource } from '../runtime/task/id.js';
import '../console/dump.js';
import { setAwaitTracing } from '../console/trace.js';
import { setTransport } from '../net/transport.js';
import { HostNode } from './node.js';
import { SimError, type SimErrorKind } from './error.js';
import { Rng } from './prng.js';
import { Trace, Ev } from './trace.js';
import { makeChooser, type Chooser } from './strategy.js';
import { attach, enterHost, leaveHost, liveTasks, pollAt, useClock, useTaskIds, type SimTask } from './seams.js';
import { HostClock, TimerKind, VirtualTimers, type VirtualTimer } from './virtual_time.js';
import { DEFAULT_SCHEDULER_CONFIG } from '../runtime/scheduler/config.js';
import { patch } from './determinism.js';
import { ambient, resolveOptions, type ResolvedOptions, type SimOptions } from './options.js';
import { SimNet } from './net/network.js';
import { simTransport } from './net/transport.js';
import { ReadySet } from './ready_set.js';
import { Timeline } from './timeline.js';
import { HostTable, watchClient, type AnyFn, type HostSpec } from './hosts.js';

/** What `sim.run()` resolves with. */
export interface SimResult {
  /** Virtual time at the end, ms. */
  readonly elapsedMs: number;
  /** Task polls made. */
  readonly steps: number;
  readonly seed: number;
  /** Hash of the sequence of polls, wakes, messages and timer firings (16 hex digits). */
  readonly traceHash: string;
}

let running: SimEngine | null = null;
/** Virtual time allowed for the hosts' cleanup after the run (their `finally` blocks). */
const TEARDOWN_MS = 60_000;
/**
 * Timers due now (immediates) run at every idle point and at least every this many polls: a
 * real drain polls at most `eventInterval` tasks before Node's check phase runs immediates.
 */
const TIMER_TURN = DEFAULT_SCHEDULER_CONFIG.eventInterval;
const realSetImmediate = setImmediate;
const macroTurn = (): Promise<void> => new Promise((r) => realSetImmediate(r));

const KIND_NAMES = ['clock', 'setTimeout', 'setInterval', 'setImmediate'];

/** @internal The engine of one `Sim` (see the module comment). */
export class SimEngine {
  readonly seed: number;
  readonly opts: ResolvedOptions;
  readonly trace: Trace;
  readonly net: SimNet;
  readonly hosts = new HostTable();
  readonly timeline = new Timeline();
  now = 0;
  /** Every virtual timer of every host: their runtimes' (clock seam) and their code's. */
  readonly timers = new VirtualTimers(() => this.now);
  private readonly rng: Rng;
  private readonly chooser: Chooser;
  private readonly order: HostSpec[] = this.hosts.order;
  private nodes: HostNode[] = [];
  private readonly ready = new ReadySet();
  /** Task ids of this run (`JoinHandle.id` inside it): installed only while a host is driven. */
  private readonly ids = new TaskIdSource(1);
  private steps = 0;
  /** Timer callbacks run (with polls, what `maxSteps` bounds). */
  private callbacks = 0;
  private readonly runTimerFn = (t: VirtualTimer): void => this.runTimer(t);
  private current: HostNode | null = null;
  private deferred: (() => void)[] = [];
  private failure: SimError | null = null;
  private state: 'new' | 'running' | 'teardown' | 'done' = 'new';
  /** Dropping hosts may take virtual time (async cleanup) but not more than this. */
  private teardownUntil = 0;

  constructor(opts: SimOptions) {
    this.opts = resolveOptions(opts);
    this.seed = this.opts.seed;
    this.rng = new Rng(this.seed);
    this.chooser = makeChooser(ambient.strategy, ambient.depth, this.rng.fork());
    this.trace = new Trace(ambient.record);
    const netRng = this.rng.fork();
    this.net = new SimNet(
      {
        now: () => this.now,
        nodeOf: (i) => this.order[i]?.node ?? null,
        trace: this.trace,
      },
      netRng,
      { latencyMs: this.opts.latencyMs, lossRate: this.opts.lossRate },
    );
  }

  add(name: string, client: boolean, body: AnyFn | Future<unknown>, args: readonly unknown[]): void {
    if (this.state !== 'new') throw new Error(`kyoto sim: add ${client ? 'client' : 'host'} ${name} before run()`);
    const h = this.hosts.add(name, client, body, args);
    this.net.addHost(name, h.index);
  }

  async run(): Promise<SimResult> {
    if (this.state !== 'new') throw new Error('kyoto sim: run() may be called once per Sim');
    if (running !== null) throw new Error('kyoto sim: another simulation is running; run them one after another');
    running = this;
    this.state = 'running';
    const restore = patch({
      now: () => this.now,
      random: () => this.rng.next(),
      currentHost: () => this.current,
      timers: this.timers,
      realIo: (call, host) => this.realIo(call, host),
    });
    // Source lines in deadlock reports cost ~2 µs per suspension: on for a single run and a
    // replay, off while explore sweeps seeds.
    const tracing = !ambient.exploring;
    if (tracing) setAwaitTracing(true);
    try {
      for (const h of this.order) this.boot(h);
      await this.loop();
      await macroTurn();
      if (this.failure !== null) throw this.failure;
      return { elapsedMs: this.now, steps: this.steps, seed: this.seed, traceHash: this.trace.hash() };
    } finally {
      await this.teardown();
      if (tracing) setAwaitTracing(false);
      restore();
      this.state = 'done';
      running = null;
      if (ambient.record && this.trace.log !== null) ambient.recorded.push(this.trace.log);
    }
  }

  /** A fault between hosts a and b, for the trace. */
  fault(kind: number, a: number, b: number): void {
    this.trace.event(Ev.Fault, kind, a, b);
  }

  /** Runs `op` now, or right after the current poll or timer callback of a host. */
  later(op: () => void): void {
    if (this.current !== null) this.deferred.push(op);
    else op();
  }

  /** Boots `h` (a fresh runtime running its body), with the run's task ids installed. */
  boot(h: HostSpec): void {
    const prevIds = useTaskIds(this.ids);
    try {
      this.bootNow(h);
    } finally {
      useTaskIds(prevIds);
    }
  }

  /** Crashes `h`'s live incarnation (restarting: a bounce boots it again right after). */
  crashNow(h: HostSpec, restarting: boolean): void {
    const node = h.node;
    if (node === null || !node.alive) return;
    this.trace.event(Ev.Fault, restarting ? 6 : 5, h.index, h.generation);
    h.node = null;
    const prevIds = useTaskIds(this.ids);
    try {
      node.crash();
    } finally {
      useTaskIds(prevIds);
    }
    this.net.dropWaitingFrom(h.index);
    if (h.client && !restarting) h.finished = true;
  }

  private bootNow(h: HostSpec): void {
    h.generation++;
    let node: HostNode | null = null;
    // The runtime takes the context's clock when it is made: a virtual one, for this host.
    const clock = new HostClock(this.timers);
    const prevClock = useClock(clock);
    let rt: Runtime;
    try {
      rt = new Runtime({
        name: `sim:${h.name}`,
        onUnhandledTaskError: (e, info) => {
          if (node !== null && node.alive) this.fail('unhandled-task-error', h.name, e, `task ${info.name} failed and nobody awaited it`);
        },
      });
    } finally {
      useClock(prevClock);
    }
    attach(rt, (t, spawned) => this.onReady(node!, t, spawned));
    node = new HostNode(h.name, h.index, h.generation, rt, clock);
    clock.bind(node);
    setTransport(rt, simTransport(this.net, node));
    this.nodes.push(node);
    h.node = node;
    h.finished = false;
    const handle = rt.spawnNamed(h.name, h.body as AnyFn, ...(h.args as never[])) as JoinHandle<unknown>;
    h.handle = handle;
    if (h.client) {
      watchClient(h, node, handle, (cause) =>
        this.fail('client-failed', h.name, cause, `client ${h.name} failed: ${String((cause as Error)?.message ?? cause)}`),
      );
    }
  }

  private onReady(node: HostNode, task: SimTask, spawned: boolean): void {
    this.trace.event(spawned ? Ev.Spawn : Ev.Wake, node.index, task.id);
  }

  private step(): void {
    const r = this.ready;
    const i = this.chooser.choose(r.keys, r.length, this.steps);
    const node = r.nodes[i]!;
    this.steps++;
    this.trace.event(Ev.Poll, node.index, r.keys[i]!);
    const prevIds = useTaskIds(this.ids);
    try {
      this.current = node;
      try {
        pollAt(node.rt, r.idx[i]!);
      } finally {
        this.current = null;
      }
      this.runDeferred();
    } finally {
      useTaskIds(prevIds);
    }
  }

  /** The main loop: poll while anything is ready, else move time to the next event. */
  private async loop(): Promise<void> {
    const maxSteps = this.opts.maxSteps;
    let stall = 0;
    for (;;) {
      if (this.failure !== null) return;
      if (this.ready.collect(this.nodes) > 0) {
        if (this.steps + this.callbacks >= maxSteps) return this.livelock();
        this.step();
        if (this.steps % TIMER_TURN === 0 && this.timers.dueBy(this.now)) this.advanceTo(this.now);
        if ((this.steps & 1023) === 0) await macroTurn();
        else await null;
        continue;
      }
      await macroTurn();
      if (this.failure !== null || this.ready.collect(this.nodes) > 0) continue;
      if (this.state === 'running' && this.hosts.hasClients() && !this.hosts.clientsPending()) return;
      if (this.state === 'teardown' && this.nodes.every((n) => liveTasks(n.rt) === 0)) return;
      let t = this.nextEventTime();
      if (t === Infinity) {
        if (this.state === 'running' && this.hosts.clientsPending()) this.deadlock();
        return;
      }
      const tick = this.opts.tickMs;
      t = Math.max(this.now, Math.ceil(t / tick) * tick);
      // Something claims to be due now yet nothing happens (a wheel slot that only cascades):
      // after a few such turns, move on by a tick rather than spin.
      if (t === this.now && stall > 3) t = this.now + tick;
      if (this.state === 'teardown' && t > this.teardownUntil) return;
      if (this.steps + this.callbacks >= maxSteps) return this.livelock();
      if (t > this.opts.durationMs && this.state === 'running') {
        this.now = this.opts.durationMs;
        if (this.hosts.clientsPending()) {
          this.fail('duration', null, undefined, `durationMs (${this.opts.durationMs}) elapsed while clients were still running`);
        }
        return;
      }
      stall = this.advanceTo(t) === 0 ? stall + 1 : 0;
    }
  }

  private nextEventTime(): number {
    let t = this.net.nextAt();
    const e = this.timeline.nextAt();
    if (e < t) t = e;
    const d = this.timers.nextAt();
    return d < t ? d : t;
  }

  /** Moves virtual time to `t` and delivers what is due; returns how many events happened. */
  private advanceTo(t: number): number {
    const prevIds = useTaskIds(this.ids);
    try {
      return this.deliverUntil(t);
    } finally {
      useTaskIds(prevIds);
    }
  }

  private deliverUntil(t: number): number {
    let n = 0;
    if (t > this.now) {
      this.now = t;
      this.trace.event(Ev.Advance, t);
    }
    for (let e = this.timeline.takeDue(t); e !== null; e = this.timeline.takeDue(t)) {
      n++;
      try {
        e.fn();
      } catch (err) {
        this.fail('bad-usage', null, err, `the function given to sim.at(${e.at}) threw`);
      }
    }
    n += this.net.deliverUntil(t);
    this.nodes = this.nodes.filter((x) => x.alive || liveTasks(x.rt) > 0);
    const fired = this.timers.runDue(t, this.runTimerFn);
    this.callbacks += fired;
    return n + fired;
  }

  /** Runs a due virtual timer's callback as its host would: that host current, its runtime entered. */
  private runTimer(timer: VirtualTimer): void {
    const node = timer.node as HostNode; // the only hosts timers are bound to
    this.trace.event(Ev.Timer, node.index, timer.kind);
    const prevCurrent = this.current;
    const prevEx = enterHost(node.rt);
    this.current = node;
    try {
      timer.fn(...timer.args);
    } catch (err) {
      if (timer.kind !== TimerKind.Clock) this.fail('callback-failed', node.name, err, `a ${KIND_NAMES[timer.kind]} callback threw (in a real process this is an uncaught exception): ${String((err as Error)?.message ?? err)}`);
      else throw err;
    } finally {
      this.current = prevCurrent;
      leaveHost(prevEx);
    }
    if (prevCurrent === null) this.runDeferred();
  }

  /** Crashes and bounces asked for while a host ran. */
  private runDeferred(): void {
    if (this.deferred.length > 0) for (const op of this.deferred.splice(0)) op();
  }

  private livelock(): void {
    this.fail('max-steps', null, undefined, `maxSteps (${this.opts.maxSteps}) polls and timer callbacks reached: a livelock, or raise maxSteps`);
  }

  private deadlock(): void {
    const { stuck, lines, blocked } = this.hosts.stuck();
    lines.push(...this.net.describe());
    this.fail(
      'deadlock',
      blocked[0] ?? null,
      undefined,
      `deadlock: client(s) ${blocked.join(', ')} can never finish: every task of every host is blocked and no timer, packet or scheduled fault is left.\n${lines.join('\n')}`,
      stuck,
    );
  }

  private realIo(call: string, host: string): Error {
    return this.fail('real-io', host, undefined, `${call} inside simulated host ${host}: real I/O escapes the simulation; use kyoto's net APIs (simulated) or move it outside the Sim`);
  }

  private fail(kind: SimErrorKind, host: string | null, cause: unknown, message: string, stuck?: Record<string, string[]>): SimError {
    const e = new SimError(message, { kind, seed: this.seed, host, cause, elapsedMs: this.now, steps: this.steps, ...(stuck === undefined ? {} : { stuck }) });
    this.failure ??= e;
    return e;
  }

  /** Drops every host (their `finally` blocks run, virtual time still applies). */
  private async teardown(): Promise<void> {
    this.state = 'teardown';
    this.teardownUntil = this.now + TEARDOWN_MS;
    const prevIds = useTaskIds(this.ids);
    try {
      for (const h of this.order) h.node?.crash();
    } finally {
      useTaskIds(prevIds);
    }
    const saved = this.failure;
    this.failure = null;
    try {
      await this.loop();
    } catch {
      // Errors while dropping hosts do not change the outcome of the run.
    }
    this.failure = saved;
  }
}
