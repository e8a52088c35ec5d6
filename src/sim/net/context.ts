/**
 * The simulated network of the running simulation (at most one runs at a time), as seen by
 * the simulated sockets, and the checks every socket operation starts with.
 *
 * Invariants: `current()` is non-null only inside `sim.run()`; a socket operation from outside
 * a simulated host fails with a clear error rather than touching another host's state.
 * @module
 */
import { IoError } from '../../io/error.js';
import type { HostNode } from '../node.js';
import type { SimNet } from './network.js';

let active: SimNet | null = null;

/** @internal Sets (or clears) the running simulation's network. */
export function setActiveNet(net: SimNet | null): void {
  active = net;
}

/** @internal The running simulation's network, or null outside `sim.run()`. */
export function activeNet(): SimNet | null {
  return active;
}

/** @internal The network and the polling host for a socket call named `call`; throws outside a host. */
export function callerOf(call: string): [SimNet, HostNode] {
  const net = active;
  const node = net?.host.polling() ?? null;
  if (net === null || node === null) throw new Error(`kyoto sim: ${call} was called outside a simulated host`);
  return [net, node];
}

/** An `IoError` like Node's for `code` on `what`. */
export function simIoError(code: string, op: string, what: string): IoError {
  const text: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ECONNRESET: 'connection reset by peer',
    EPIPE: 'broken pipe (the stream was shut down)',
    EADDRINUSE: 'address already in use',
    ENOTFOUND: 'no such simulated host',
    CLOSED: 'the socket is closed',
    UNEXPECTED_EOF: 'the stream ended early',
  };
  return new IoError(code, `${op} ${what} failed: ${text[code] ?? code}`, { address: what });
}
