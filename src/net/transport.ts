/**
 * Which `Transport` a runtime's sockets use: Node's (`net/node_sys.ts`) unless `setTransport`
 * gave the runtime another (kyoto/sim's simulated network).
 *
 * Invariant: the choice is per runtime and fixed for a socket's life (a socket keeps the raw
 * object it was opened with), so swapping a runtime's transport affects only sockets opened
 * afterwards. Tested in test/net/sys.test.ts.
 * @module
 */
import type { Driver } from '../runtime/driver.js';
import { Runtime } from '../runtime/runtime.js';
import { nodeTransport } from './node_sys.js';
import type { Transport } from './sys.js';

/** The key of a runtime's transport in its driver registry. */
export const TRANSPORT_KEY: unique symbol = Symbol.for('kyoto.transport');

/** @internal the runtime's slot holding its transport. */
class TransportSlot implements Driver {
  constructor(public transport: Transport) {}
  describe(): string[] {
    return this.transport === nodeTransport ? [] : [`net transport: ${this.transport.name}`];
  }
}

function makeSlot(): TransportSlot {
  return new TransportSlot(nodeTransport);
}

/**
 * The transport of `rt` (or of the runtime polling the caller, or the default runtime).
 *
 * @example
 * ```ts
 * const raw = transport().connectTcp('127.0.0.1', 6379);
 * ```
 */
export function transport(rt?: Runtime): Transport {
  const r = rt ?? Runtime.tryCurrent() ?? Runtime.default();
  return r.driver(TRANSPORT_KEY, makeSlot).transport;
}

/**
 * Gives `rt` its own transport (a simulated network): every socket that tasks of `rt` open
 * afterwards goes through `t`; sockets already open keep theirs.
 *
 * @example
 * ```ts
 * const rt = new Runtime();
 * setTransport(rt, network.transportFor('kv'));
 * ```
 */
export function setTransport(rt: Runtime, t: Transport): void {
  rt.driver(TRANSPORT_KEY, makeSlot).transport = t;
}

/**
 * Node's transport (node:net and node:dgram), the default.
 *
 * @example
 * ```ts
 * setTransport(rt, defaultTransport()); // back to the real network
 * ```
 */
export function defaultTransport(): Transport {
  return nodeTransport;
}
