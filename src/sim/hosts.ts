/**
 * The simulation's hosts and clients by name: what each runs, its current incarnation, and
 * whether a client has finished; and the deadlock report built from their dumps.
 *
 * Invariants: names are unique and stable, indexes follow the order of addition (a host's
 * address derives from its index); a client counts as finished once its body returned or threw,
 * or it crashed for good. Proved by test/sim/errors.test.ts and test/sim/deadlock.test.ts.
 * @module
 */
import type { Future } from '../future/future.js';
import type { JoinHandle } from '../runtime/task/join_handle.js';
import type { HostNode } from './node.js';
import { liveTasks } from './seams.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFn = (...args: any[]) => any;

/** @internal A host or client as added. */
export interface HostSpec {
  readonly name: string;
  readonly index: number;
  readonly client: boolean;
  readonly body: AnyFn | Future<unknown>;
  readonly args: readonly unknown[];
  node: HostNode | null;
  generation: number;
  handle: JoinHandle<unknown> | null;
  /** Client: its body finished (or the client crashed for good). */
  finished: boolean;
  settled: PromiseLike<void> | null;
}

/**
 * @internal Follows client `h`'s main task of incarnation `node`: marks it finished, and hands a
 * failure (the body's own error, not the JoinError around it) to `failed`.
 */
export function watchClient(h: HostSpec, node: HostNode, handle: JoinHandle<unknown>, failed: (cause: unknown) => void): void {
  const gen = h.generation;
  h.settled = handle.then(
    () => {
      if (h.generation === gen) h.finished = true;
    },
    (e: unknown) => {
      if (h.generation !== gen || !node.alive) return;
      h.finished = true;
      failed(e instanceof Error && e.name === 'JoinError' && e.cause !== undefined ? e.cause : e);
    },
  );
}

/** @internal */
export class HostTable {
  readonly order: HostSpec[] = [];
  private readonly byName = new Map<string, HostSpec>();

  add(name: string, client: boolean, body: AnyFn | Future<unknown>, args: readonly unknown[]): HostSpec {
    if (typeof name !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(name)) {
      throw new TypeError(`sim host name must be letters, digits, '_', '.' or '-', got ${JSON.stringify(name)}`);
    }
    if (this.byName.has(name)) throw new Error(`kyoto sim: a host named ${name} already exists`);
    const h: HostSpec = { name, index: this.order.length, client, body, args: [...args], node: null, generation: 0, handle: null, finished: false, settled: null };
    this.byName.set(name, h);
    this.order.push(h);
    return h;
  }

  get(name: string): HostSpec {
    const h = this.byName.get(name);
    if (h === undefined) throw new Error(`kyoto sim: no host named ${JSON.stringify(name)} (hosts: ${[...this.byName.keys()].join(', ')})`);
    return h;
  }

  clientsPending(): boolean {
    for (const h of this.order) if (h.client && !h.finished) return true;
    return false;
  }

  hasClients(): boolean {
    return this.order.some((h) => h.client);
  }

  /** Each live host's dump lines (await chains), and the clients still running. */
  stuck(): { stuck: Record<string, string[]>; lines: string[]; blocked: string[] } {
    const stuck: Record<string, string[]> = {};
    const lines: string[] = [];
    for (const h of this.order) {
      const n = h.node;
      if (n === null || liveTasks(n.rt) === 0) continue;
      const d = n.rt.dump().split('\n');
      stuck[h.name] = d;
      lines.push(`host ${h.name}:`, ...d.map((l) => `  ${l}`));
    }
    const blocked = this.order.filter((h) => h.client && !h.finished).map((h) => h.name);
    return { stuck, lines, blocked };
  }
}
