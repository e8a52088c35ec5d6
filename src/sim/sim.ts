/**
 * `Sim`: a deterministic simulation of a whole distributed program. Every host is its own kyoto
 * runtime; one loop drives them all: it polls one ready task at a time (chosen by the seeded
 * strategy), and only when every host is idle does it move virtual time to the next event (a
 * timer, a packet, a scheduled fault) and deliver it.
 *
 * Invariants (each tested): the same seed and the same program give the same `traceHash`
 * (test/sim/determinism.test.ts); virtual time never moves while a task is ready; a run ends when
 * every client finished, and fails with `SimError` on a client error, an unawaited task failure,
 * a deadlock or a limit (test/sim/errors.test.ts, test/sim/deadlock.test.ts); faults act at
 * their virtual time (test/sim/faults.test.ts). Why a macrotask turn every 1024 polls and at each
 * idle point: promise callbacks and the runtime's deferred reports then land at points that
 * depend only on the step count, so they cannot perturb determinism.
 * @module
 */
import type { Future } from '../future/future.js';
import type { JoinHandle } from '../runtime/task/join_handle.js';
import { Runtime, type BodyArgs, type BodyOutput } from '../runtime/runtime.js';
import '../console/dump.js';
import { setAwaitTracing } from '../console/trace.js';
import { HostNode } from './node.js';
import { SimError, type SimErrorKind } from './error.js';
import { Rng } from './prng.js';
import { Trace, Ev } from './trace.js';
import { makeChooser, type Chooser } from './strategy.js';
import { attach, installClock, liveTasks, pollAt, readyAt, type SimTask } from './seams.js';
import { patch } from './determinism.js';
import { ambient, resolveOptions, type ResolvedOptions, type SimOptions } from './options.js';
import { SimNet } from './net/network.js';
import { ReadySet } from './ready_set.js';
import { Timeline } from './timeline.js';
import { HostTable, watchClient, type AnyFn, type HostSpec } from './hosts.js';
import { simTransport } from './net/transport.js';
import { setTransport } from '../net/transport.js';
import { checkDeterminism, type DeterminismReport, type SimBuild } from './explore.js';


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

let running: Sim | null = null;
/** Virtual time allowed for the hosts' cleanup after the run (their `finally` blocks). */
const TEARDOWN_MS = 60_000;
const macroTurn = (): Promise<void> => new Promise((r) => setImmediate(r));

/**
 * A deterministic simulation: hosts, clients, a simulated network, virtual time, one seed.
 *
 * @example
 * ```ts
 * const sim = new Sim({ seed: 7, latencyMs: [1, 10] });
 * sim.host('kv', kvMain);                    // uses TcpListener.bind('0.0.0.0:6379')
 * sim.client('c1', function* () {            // uses TcpStream.connect('kv:6379')
 *   const s = yield* TcpStream.connect('kv:6379');
 *   yield* s.writeAll(Buffer.from('SET x 1\n'));
 * });
 * sim.at(50, () => sim.partition('c1', 'kv'));
 * const { elapsedMs, steps, traceHash } = await sim.run();
 * ```
 */
export class Sim {
  readonly seed: number;
  /** @internal */
  readonly opts: ResolvedOptions;
  /** @internal */
  readonly trace: Trace;
  private readonly rng: Rng;
  private readonly chooser: Chooser;
  private readonly net: SimNet;
  private readonly hosts = new HostTable();
  private readonly order: HostSpec[] = this.hosts.order;
  private nodes: HostNode[] = [];
  private readonly ready = new ReadySet();
  private readonly timeline = new Timeline();
  private now = 0;
  private steps = 0;
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

  /**
   * Adds a simulated machine named `name` running `body(...args)` as its main task, with its own
   * kyoto runtime. Code inside uses the ordinary kyoto APIs; `name` resolves as a host name.
   *
   * @example
   * ```ts
   * sim.host('kv', function* () {
   *   const l = yield* TcpListener.bind('0.0.0.0:6379');
   *   for (;;) { const [s] = yield* l.accept(); spawn(serve, s); }
   * });
   * ```
   */
  host<B extends AnyFn | Future<unknown>>(name: string, body: B, ...args: BodyArgs<B>): this {
    return this.add(name, false, body, args);
  }

  /**
   * Like `host`, but `run()` finishes once every client's body has finished (the hosts are then
   * dropped: their `finally` blocks run). A client that throws fails the run.
   *
   * @example
   * ```ts
   * sim.client('c1', function* () { const s = yield* TcpStream.connect('kv:6379'); ... });
   * ```
   */
  client<B extends AnyFn | Future<unknown>>(name: string, body: B, ...args: BodyArgs<B>): this {
    return this.add(name, true, body, args);
  }

  /**
   * Runs the simulation: resolves with `{ elapsedMs, steps, seed, traceHash }`, or rejects with a
   * `SimError` (seed, host, cause, replay hint).
   *
   * @example
   * ```ts
   * const r = await new Sim({ seed: 1 }).client('t', main).run();
   * console.log(r.elapsedMs, r.steps, r.traceHash);
   * ```
   */
  async run(): Promise<SimResult> {
    if (this.state !== 'new') throw new Error('kyoto sim: run() may be called once per Sim');
    if (running !== null) throw new Error('kyoto sim: another simulation is running; run them one after another');
    running = this;
    this.state = 'running';
    const restore = patch({
      now: () => this.now,
      random: () => this.rng.next(),
      pollingHost: () => this.current?.name ?? null,
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

  /**
   * Runs `build(seed)` twice and reports whether both runs made the same sequence of polls,
   * wakes, messages and timer firings, and if not, the first event where they diverged.
   *
   * @example
   * ```ts
   * const r = await Sim.checkDeterminism((s) => new Sim({ seed: s }).client('t', main).run(), 7);
   * assert.ok(r.deterministic, JSON.stringify(r.firstDivergence));
   * ```
   */
  static checkDeterminism(build: SimBuild, seed: number): Promise<DeterminismReport> {
    return checkDeterminism(build, seed);
  }

  // ---- faults ------------------------------------------------------------------------

  /**
   * Cuts the link between hosts a and b (both ways): datagrams and connection attempts are lost,
   * established connections stall until `repair`.
   *
   * @example
   * ```ts
   * sim.at(100, () => sim.partition('leader', 'f1'));
   * ```
   */
  partition(a: string, b: string): void {
    this.fault(1, a, b);
    this.net.partition(this.hosts.get(a).index, this.hosts.get(b).index);
  }

  /**
   * Heals the link between a and b (and releases a hold): what waited is sent now.
   *
   * @example
   * ```ts
   * sim.at(300, () => sim.repair('leader', 'f1'));
   * ```
   */
  repair(a: string, b: string): void {
    this.fault(2, a, b);
    this.net.repair(this.hosts.get(a).index, this.hosts.get(b).index);
  }

  /**
   * Delays everything between a and b, losing nothing, until `release`.
   *
   * @example
   * ```ts
   * sim.hold('a', 'b'); sim.at(500, () => sim.release('a', 'b'));
   * ```
   */
  hold(a: string, b: string): void {
    this.fault(3, a, b);
    this.net.hold(this.hosts.get(a).index, this.hosts.get(b).index);
  }

  /**
   * Ends a hold: the held packets leave now, in order.
   *
   * @example
   * ```ts
   * sim.release('a', 'b');
   * ```
   */
  release(a: string, b: string): void {
    this.fault(4, a, b);
    this.net.release(this.hosts.get(a).index, this.hosts.get(b).index);
  }

  /**
   * Crashes host `name`: its tasks are dropped (cancelled), its sockets reset (peers see
   * ECONNRESET), its listeners gone. A crashed client counts as finished.
   *
   * @example
   * ```ts
   * sim.at(250, () => sim.crash('kv'));
   * ```
   */
  crash(name: string): void {
    const h = this.hosts.get(name);
    this.later(() => this.crashNow(h, false));
  }

  /**
   * Crashes host `name`, then boots it again: `body` restarts on a fresh runtime (same name and
   * address; state kept outside the body, like a disk, survives).
   *
   * @example
   * ```ts
   * sim.at(250, () => sim.bounce('kv'));
   * ```
   */
  bounce(name: string): void {
    const h = this.hosts.get(name);
    this.later(() => {
      this.crashNow(h, true);
      this.boot(h);
    });
  }

  /**
   * Runs `fn` at virtual time `ms` (outside every host), e.g. a fault.
   *
   * @example
   * ```ts
   * sim.at(1000, () => sim.partition('a', 'b'));
   * ```
   */
  at(ms: number, fn: () => void): this {
    if (!(ms >= 0) || typeof fn !== 'function') throw new TypeError('sim.at(ms, fn): ms must be >= 0 and fn a function');
    this.timeline.add(ms, fn);
    return this;
  }

  /**
   * Virtual time now, ms since the start of the run.
   *
   * @example
   * ```ts
   * sim.at(10, () => console.log(sim.elapsedMs())); // 10
   * ```
   */
  elapsedMs(): number {
    return this.now;
  }

  // ---- internals ---------------------------------------------------------------------

  private add(name: string, client: boolean, body: AnyFn | Future<unknown>, args: readonly unknown[]): this {
    if (this.state !== 'new') throw new Error(`kyoto sim: add ${client ? 'client' : 'host'} ${name} before run()`);
    const h = this.hosts.add(name, client, body, args);
    this.net.addHost(name, h.index);
    return this;
  }

  private fault(kind: number, a: string, b: string): void {
    this.trace.event(Ev.Fault, kind, this.hosts.get(a).index, this.hosts.get(b).index);
  }

  /** Runs `op` now, or after the current poll if a task is being polled. */
  private later(op: () => void): void {
    if (this.current !== null) this.deferred.push(op);
    else op();
  }

  private boot(h: HostSpec): void {
    h.generation++;
    let node: HostNode | null = null;
    const rt = new Runtime({
      name: `sim:${h.name}`,
      onUnhandledTaskError: (e, info) => {
        if (node !== null && node.alive) this.fail('unhandled-task-error', h.name, e, `task ${info.name} failed and nobody awaited it`);
      },
    });
    attach(rt, (t, spawned) => this.onReady(node!, t, spawned));
    node = new HostNode(h.name, h.index, h.generation, rt, installClock(rt));
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

  private crashNow(h: HostSpec, restarting: boolean): void {
    const node = h.node;
    if (node === null || !node.alive) return;
    this.trace.event(Ev.Fault, restarting ? 6 : 5, h.index, h.generation);
    h.node = null;
    node.crash();
    this.net.dropWaitingFrom(h.index);
    if (h.client && !restarting) h.finished = true;
  }

  private onReady(node: HostNode, task: SimTask, spawned: boolean): void {
    this.trace.event(spawned ? Ev.Spawn : Ev.Wake, node.index, this.ready.key(task)[0]);
  }

  private step(): void {
    const r = this.ready;
    const i = this.chooser.choose(r.keys, r.length, this.steps);
    const node = r.nodes[i]!;
    const at = r.idx[i]!;
    const task = readyAt(node.rt, at);
    this.steps++;
    this.trace.event(Ev.Poll, node.index, r.keys[i]!);
    this.current = node;
    try {
      pollAt(node.rt, at);
    } finally {
      this.current = null;
    }
    if (task.isFinished()) r.finished(task);
    if (this.deferred.length > 0) for (const op of this.deferred.splice(0)) op();
  }

  /** The main loop: poll while anything is ready, else move time to the next event. */
  private async loop(): Promise<void> {
    const maxSteps = this.opts.maxSteps;
    let stall = 0;
    for (;;) {
      if (this.failure !== null) return;
      if (this.ready.collect(this.nodes) > 0) {
        if (this.steps >= maxSteps) {
          this.fail('max-steps', null, undefined, `maxSteps (${maxSteps}) reached: a livelock, or raise maxSteps`);
          return;
        }
        this.step();
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
    for (const n of this.nodes) {
      const d = n.time.nextDeadline();
      if (d < t) t = d;
    }
    return t;
  }

  /** Moves virtual time to `t` and delivers what is due; returns how many events happened. */
  private advanceTo(t: number): number {
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
    for (const node of this.nodes) {
      const fired = node.time.advanceTo(t);
      if (fired > 0) this.trace.event(Ev.Timer, node.index, fired);
      n += fired;
    }
    return n;
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
    for (const h of this.order) h.node?.crash();
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
