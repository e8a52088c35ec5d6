/**
 * `Sim`: a deterministic simulation of a whole distributed program, the public face of the
 * engine (engine.ts): hosts and clients, `run()`, faults and `sim.at`. Every host is its own
 * kyoto runtime; one loop drives them all under one seed (docs/sim.md).
 *
 * Invariants: hosts and clients are added before `run()`, which may be called once; a fault
 * names hosts that exist (else a clear error); `crash`/`bounce` asked for during a poll act
 * right after it. Proved by test/sim/faults.test.ts and test/sim/errors.test.ts.
 * @module
 */
import type { Future } from '../future/future.js';
import type { BodyArgs } from '../runtime/runtime.js';
import { SimEngine, type SimResult } from './engine.js';
import type { SimOptions } from './options.js';
import type { AnyFn } from './hosts.js';
import { checkDeterminism, type DeterminismReport, type SimBuild } from './explore.js';

export type { SimResult } from './engine.js';

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
  readonly engine: SimEngine;

  constructor(opts: SimOptions) {
    this.engine = new SimEngine(opts);
    this.seed = this.engine.seed;
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
    this.engine.add(name, false, body, args);
    return this;
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
    this.engine.add(name, true, body, args);
    return this;
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
  run(): Promise<SimResult> {
    return this.engine.run();
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
    const [i, j] = this.pair(a, b);
    this.engine.fault(1, i, j);
    this.engine.net.partition(i, j);
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
    const [i, j] = this.pair(a, b);
    this.engine.fault(2, i, j);
    this.engine.net.repair(i, j);
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
    const [i, j] = this.pair(a, b);
    this.engine.fault(3, i, j);
    this.engine.net.hold(i, j);
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
    const [i, j] = this.pair(a, b);
    this.engine.fault(4, i, j);
    this.engine.net.release(i, j);
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
    const e = this.engine;
    const h = e.hosts.get(name);
    e.later(() => e.crashNow(h, false));
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
    const e = this.engine;
    const h = e.hosts.get(name);
    e.later(() => {
      e.crashNow(h, true);
      e.boot(h);
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
    this.engine.timeline.add(ms, fn);
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
    return this.engine.now;
  }

  private pair(a: string, b: string): [number, number] {
    const hosts = this.engine.hosts;
    return [hosts.get(a).index, hosts.get(b).index];
  }
}
