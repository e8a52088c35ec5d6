/**
 * `Command`: the builder of a child process (Tokio's `tokio::process::Command`).
 *
 * `spawn()` is synchronous, like Tokio's: the child is started by libuv's `uv_spawn`, which
 * reports a failed exec (missing program, no permission, bad cwd) at once, so a missing program
 * is an `IoError` `ENOENT` thrown by `spawn()` (and by `output()`/`status()` at their first poll)
 * naming the program. A non-zero exit is not an error: it is `status.success === false`.
 *
 * Stdio defaults are Tokio's: `spawn()` and `status()` inherit all three; `output()` pipes
 * stdout and stderr and gives the child a null stdin.
 *
 * Invariants (test/process/child.test.ts): the environment is the parent's plus `env`/`envs`,
 * minus `envRemove`, or only `env`/`envs` after `envClear`; `arg`s reach the program verbatim
 * (no shell); a spawn failure leaves no handle behind.
 * @module
 */
import { ChildProcess } from 'node:child_process';
import { getSystemErrorName } from 'node:util';
import { Future, Pending, type Context, type Poll } from '../future/future.js';
import { IoError } from '../io/error.js';
import { PolledAfterCompletionError } from '../util/errors.js';
import { Child, type WaitFuture } from './child.js';
import type { ExitStatus } from './exit_status.js';
import type { Output } from './output.js';

/** How a standard stream of the child is connected. */
export type Stdio = 'piped' | 'inherit' | 'null';

const NODE_STDIO = { piped: 'pipe', inherit: 'inherit', null: 'ignore' } as const;

interface SpawnOptions {
  file: string;
  args: string[];
  envPairs: string[];
  stdio: ('pipe' | 'inherit' | 'ignore')[];
  cwd?: string;
  detached: boolean;
  uid?: number;
  gid?: number;
  windowsHide: boolean;
}

/**
 * A process to run: program, arguments, environment, directory and stdio.
 *
 * @example
 * ```ts
 * const out = yield* new Command('git').args(['log', '-1', '--format=%H']).cwd(repo).output();
 * if (!out.status.success) throw new Error(out.stderr.toString());
 * ```
 */
export class Command {
  private readonly argv: string[] = [];
  private readonly envSet = new Map<string, string>();
  private readonly envDel = new Set<string>();
  private cleared = false;
  private dir: string | undefined;
  private io: [Stdio | undefined, Stdio | undefined, Stdio | undefined] = [undefined, undefined, undefined];
  private kod = false;
  private group = false;
  private uidV: number | undefined;
  private gidV: number | undefined;

  /** A command running `program` (a path, or a name looked up in PATH). */
  constructor(readonly program: string) {
    if (typeof program !== 'string' || program.length === 0) {
      throw new TypeError(`Command: program must be a non-empty string, got ${String(program)}`);
    }
  }

  /** Appends one argument (passed verbatim, no shell). */
  arg(a: string): this {
    this.argv.push(String(a));
    return this;
  }
  /** Appends arguments. */
  args(as: Iterable<string>): this {
    for (const a of as) this.argv.push(String(a));
    return this;
  }
  /** Sets an environment variable for the child. */
  env(key: string, value: string): this {
    this.envSet.set(key, String(value));
    this.envDel.delete(key);
    return this;
  }
  /** Sets several environment variables. */
  envs(vars: Iterable<[string, string]> | Record<string, string>): this {
    const it = Symbol.iterator in Object(vars) ? (vars as Iterable<[string, string]>) : Object.entries(vars);
    for (const [k, v] of it) this.env(k, v);
    return this;
  }
  /** Removes a variable from the inherited environment. */
  envRemove(key: string): this {
    this.envSet.delete(key);
    this.envDel.add(key);
    return this;
  }
  /** Starts from an empty environment (only `env`/`envs` values reach the child). */
  envClear(): this {
    this.cleared = true;
    this.envSet.clear();
    return this;
  }
  /** The child's working directory. */
  cwd(dir: string): this {
    this.dir = dir;
    return this;
  }
  /** How the child's stdin is connected (`'piped'` gives `child.stdin`). */
  stdin(cfg: Stdio): this {
    this.io[0] = checkStdio('stdin', cfg);
    return this;
  }
  /** How the child's stdout is connected (`'piped'` gives `child.stdout`). */
  stdout(cfg: Stdio): this {
    this.io[1] = checkStdio('stdout', cfg);
    return this;
  }
  /** How the child's stderr is connected (`'piped'` gives `child.stderr`). */
  stderr(cfg: Stdio): this {
    this.io[2] = checkStdio('stderr', cfg);
    return this;
  }
  /** Kill the child (SIGKILL) when its owning future is dropped or the child is disposed. */
  killOnDrop(on: boolean): this {
    this.kod = on;
    return this;
  }
  /** Run the child in a new process group (and session), so signals can reach all it starts. */
  processGroup(on: boolean): this {
    this.group = on;
    return this;
  }
  /** Run the child as user `id` (needs privilege). */
  uid(id: number): this {
    this.uidV = id;
    return this;
  }
  /** Run the child with group `id` (needs privilege). */
  gid(id: number): this {
    this.gidV = id;
    return this;
  }

  private options(defaults: readonly [Stdio, Stdio, Stdio]): SpawnOptions {
    const env: Record<string, string | undefined> = this.cleared ? {} : { ...process.env };
    for (const k of this.envDel) delete env[k];
    for (const [k, v] of this.envSet) env[k] = v;
    const envPairs: string[] = [];
    for (const k in env) if (env[k] !== undefined) envPairs.push(`${k}=${env[k]}`);
    const o: SpawnOptions = {
      file: this.program,
      args: [this.program, ...this.argv],
      envPairs,
      stdio: [0, 1, 2].map((i) => NODE_STDIO[this.io[i] ?? defaults[i]!]),
      detached: this.group,
      windowsHide: true,
    };
    if (this.dir !== undefined) o.cwd = this.dir;
    if (this.uidV !== undefined) o.uid = this.uidV;
    if (this.gidV !== undefined) o.gid = this.gidV;
    return o;
  }

  /** @internal spawns with the given stdio defaults. */
  spawnWith(defaults: readonly [Stdio, Stdio, Stdio]): Child {
    const cp = new ChildProcess();
    // Node re-emits a spawn failure as an 'error' event on the next tick; it is thrown here.
    cp.on('error', ignore);
    let err: number;
    try {
      err = (cp as unknown as { spawn(o: SpawnOptions): number }).spawn(this.options(defaults)) ?? 0;
    } catch (e) {
      throw spawnError(this.program, this.dir, (e as NodeJS.ErrnoException).code ?? 'EINVAL', e);
    }
    if (err < 0 || cp.pid === undefined) throw spawnError(this.program, this.dir, err < 0 ? getSystemErrorName(err) : 'EIO', undefined);
    return new Child(cp, this.program, this.kod, this.group);
  }

  /**
   * Starts the child (stdio inherited unless configured). Throws `IoError` (`ENOENT` for a
   * missing program) when it cannot start.
   *
   * @example
   * ```ts
   * const child = new Command('cat').stdin('piped').stdout('piped').spawn();
   * ```
   */
  spawn(): Child {
    return this.spawnWith(INHERIT);
  }

  /**
   * Runs the child to its end and collects its output (stdout/stderr piped, stdin null unless
   * configured).
   *
   * @example
   * ```ts
   * const { status, stdout } = yield* new Command('uname').arg('-a').output();
   * ```
   */
  output(): Future<Output> {
    return new RunFuture<Output>(this, OUTPUT, true);
  }

  /**
   * Runs the child to its end (stdio inherited unless configured) and returns its status.
   *
   * @example
   * ```ts
   * const ok = (yield* new Command('make').status()).success;
   * ```
   */
  status(): Future<ExitStatus> {
    return new RunFuture<ExitStatus>(this, INHERIT, false);
  }
}

const INHERIT = ['inherit', 'inherit', 'inherit'] as const;
const OUTPUT = ['null', 'piped', 'piped'] as const;

function ignore(): void {}

function checkStdio(which: string, cfg: Stdio): Stdio {
  if (cfg !== 'piped' && cfg !== 'inherit' && cfg !== 'null') {
    throw new TypeError(`Command.${which}: expected 'piped', 'inherit' or 'null', got ${String(cfg)}`);
  }
  return cfg;
}

function spawnError(program: string, cwd: string | undefined, code: string, cause: unknown): IoError {
  const why =
    code === 'ENOENT'
      ? cwd === undefined
        ? 'no such program'
        : `no such program, or no directory ${cwd}`
      : code === 'EACCES'
        ? 'permission denied'
        : code;
  return new IoError(code, `spawn ${program} failed: ${why} (${code})`, { syscall: `spawn ${program}`, path: program, cause });
}

/** `output()` / `status()`: spawns on the first poll, then waits. */
class RunFuture<T> extends Future<T> {
  private inner: Future<unknown> | null = null;
  private done = false;
  constructor(
    private readonly cmd: Command,
    private readonly defaults: readonly [Stdio, Stdio, Stdio],
    private readonly collect: boolean,
  ) {
    super();
  }
  poll(cx: Context): Poll<T> {
    if (this.done) throw new PolledAfterCompletionError(this.collect ? 'output' : 'status');
    if (this.inner === null) {
      const child = this.cmd.spawnWith(this.defaults);
      this.inner = this.collect ? child.waitWithOutput() : (child.wait() as WaitFuture);
    }
    const v = this.inner.poll(cx);
    if (v === Pending) return Pending;
    this.inner = null;
    this.done = true;
    return v as T;
  }
  override drop(): void {
    this.inner?.drop();
    this.inner = null;
    this.done = true;
  }
}
