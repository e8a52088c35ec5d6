/**
 * Starting and stopping the console of a runtime: `new Runtime({ console: { port } })`,
 * `KYOTO_CONSOLE=127.0.0.1:6669`, or `startConsole(rt, opts)`.
 * @module
 */
import { Runtime, RuntimeShutdownError, registerRuntimeExtension, type RuntimeOptions } from '../runtime/runtime.js';
import type { Driver } from '../runtime/driver.js';
import { ConsoleConfigError, isLoopback, parseConsoleAddress, resolveConsoleOptions, type ConsoleOptions, type ResolvedConsoleOptions } from './config.js';
import { Instrument } from './instrument.js';
// The HTTP server and the web UI load only when a console starts (they are most of its weight).
import type { ConsoleServer } from './server.js';
import { consoleState, lintsOf, taskDetail, type ConsoleState, type TaskDetail } from './state.js';
import { formatDump } from './dump.js';
import type { Lint } from './lints.js';

declare module '../runtime/runtime.js' {
  interface Runtime {
    /**
     * The console's lints for this runtime: blocking polls, lost wakers, self-wakes, tasks that
     * never yielded, failed tasks nobody awaited, channels sent into without receivers. Event
     * lints are recorded only while the console is on; the state lints are always computed.
     *
     * @example
     * ```ts
     * for (const l of rt.lints()) console.warn(`${l.kind}: ${l.message}`);
     * ```
     */
    lints(): Lint[];
  }
}

Runtime.prototype.lints = function lints(this: Runtime): Lint[] {
  return lintsOf(this);
};

const CONSOLE_DRIVER = Symbol('kyoto.console');
const consoles = new WeakMap<Runtime, RuntimeConsole>();
const live = new Set<RuntimeConsole>();
let envClaimed = false;
let signalInstalled = false;

/**
 * The console of one runtime: its instrumentation and HTTP server.
 *
 * @example
 * ```ts
 * const rt = new Runtime({ console: { port: 0 } });
 * const url = await consoleOf(rt)!.ready; // http://127.0.0.1:40123/
 * ```
 */
export class RuntimeConsole {
  /** Resolves with the URL of the web UI once the server listens; rejects if it cannot. */
  readonly ready: Promise<string>;
  readonly options: ResolvedConsoleOptions;
  private readonly instrument: Instrument;
  private server: ConsoleServer | null = null;
  private urlText: string | null = null;
  private closing: Promise<void> | null = null;

  /** @internal use `startConsole` */
  constructor(
    readonly rt: Runtime,
    opts: ResolvedConsoleOptions,
  ) {
    this.options = opts;
    this.instrument = new Instrument(rt, opts);
    this.instrument.attach();
    if (!isLoopback(opts.host)) {
      console.warn(
        `kyoto console: listening on ${opts.host}, not loopback: anyone who can reach this address sees task names, source paths and await chains, without authentication.`,
      );
    }
    this.ready = import('./server.js')
      .then(({ ConsoleServer }) => {
        this.server = new ConsoleServer(rt, opts);
        return this.server.listen();
      })
      .then(
        (port) => {
          const h = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
          this.urlText = `http://${h}:${port}/`;
          return this.urlText;
        },
        (e: unknown) => {
          console.error(`kyoto console: cannot listen on ${opts.host}:${opts.port}: ${e instanceof Error ? e.message : String(e)}`);
          this.instrument.detach();
          throw e;
        },
      );
    this.ready.catch(() => {});
  }

  /** The web UI's URL once listening, else null. */
  get url(): string | null {
    return this.urlText;
  }

  /** The bound port once listening, else 0. */
  get port(): number {
    return this.server?.boundPort ?? 0;
  }

  /** Connected event-stream clients. */
  get clients(): number {
    return this.server?.clientCount ?? 0;
  }

  /** The state the clients are sent. */
  state(): ConsoleState {
    return consoleState(this.rt, this.options.maxTasks);
  }

  /** The detail of a live task (histograms and await chain), or null. */
  task(id: number): TaskDetail | null {
    return taskDetail(this.rt, id);
  }

  /** Same as `rt.lints()`. */
  lints(): Lint[] {
    return lintsOf(this.rt);
  }

  /** Same as `rt.dump()`. */
  dump(): string {
    return formatDump(this.rt);
  }

  /** Stops the server and the instrumentation (also done when the runtime shuts down). */
  close(): Promise<void> {
    if (this.closing !== null) return this.closing;
    this.instrument.detach();
    live.delete(this);
    if (consoles.get(this.rt) === this) consoles.delete(this.rt);
    updateSignal();
    this.closing = this.ready.then(
      () => this.server?.close(),
      () => this.server?.close(),
    );
    return this.closing;
  }
}

/**
 * Starts the console of `rt` (instrumentation and server). Returns the running one if `rt` has
 * one already. Throws `ConsoleConfigError` for bad options.
 *
 * @example
 * ```ts
 * const c = startConsole(rt, { port: 0, blockingPollMs: 5 });
 * console.log(`console at ${await c.ready}`);
 * ```
 */
export function startConsole(rt: Runtime, opts: ConsoleOptions | true = true): RuntimeConsole {
  const existing = consoles.get(rt);
  if (existing !== undefined) return existing;
  if (rt.isShutdown()) throw new RuntimeShutdownError('cannot start a console on a runtime that has shut down');
  const resolved = resolveConsoleOptions(opts);
  const c = new RuntimeConsole(rt, resolved);
  consoles.set(rt, c);
  live.add(c);
  const driver: Driver = {
    shutdown: () => void c.close(),
    describe: () => (c.url === null ? [] : [`console at ${c.url} (${c.clients} clients)`]),
  };
  rt.driver(CONSOLE_DRIVER, () => driver);
  updateSignal();
  return c;
}

/**
 * The console of `rt`, or null when it has none.
 *
 * @example
 * ```ts
 * const rt = new Runtime({ console: { port: 0 } });
 * console.log(`console at ${await consoleOf(rt)!.ready}`);
 * ```
 */
export function consoleOf(rt: Runtime): RuntimeConsole | null {
  return consoles.get(rt) ?? null;
}

function onSignal(): void {
  for (const c of live) {
    const name = c.rt.options.name ?? 'kyoto';
    process.stderr.write(`kyoto task dump: runtime ${name}, ${new Date().toISOString()}\n${c.dump()}\n`);
  }
}

function updateSignal(): void {
  const want = [...live].some((c) => c.options.dumpOnSignal);
  if (want && !signalInstalled && process.platform !== 'win32') {
    process.on('SIGUSR2', onSignal);
    signalInstalled = true;
  } else if (!want && signalInstalled) {
    process.off('SIGUSR2', onSignal);
    signalInstalled = false;
  }
}

registerRuntimeExtension((rt: Runtime, opts: RuntimeOptions) => {
  const o = opts.console;
  if (o === false) return;
  if (o !== undefined && o !== null) {
    startConsole(rt, o === true ? true : (o as ConsoleOptions));
    return;
  }
  const env = process.env['KYOTO_CONSOLE'];
  if (env === undefined || env === '' || env === '0' || envClaimed) return;
  envClaimed = true;
  try {
    const addr = env === '1' || env === 'true' ? {} : parseConsoleAddress(env);
    startConsole(rt, addr);
  } catch (e) {
    if (e instanceof ConsoleConfigError) console.error(`kyoto console: KYOTO_CONSOLE ignored: ${e.message}`);
    else throw e;
  }
});
