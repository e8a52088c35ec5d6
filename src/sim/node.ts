/**
 * A host's incarnation: one kyoto runtime for one boot of a simulated host (a bounce makes a
 * new one), with its virtual clock and the simulated sockets it opened. A crash drops its
 * application timers (`setTimeout` and the like) but not its runtime's, which serve the
 * unwinding of its dropped tasks.
 *
 * Invariants: `alive` goes from true to false once (crash or teardown) and never back; a dead
 * incarnation's sockets are all closed. Proved by test/sim/faults.test.ts.
 * @module
 */
import type { Runtime } from '../runtime/runtime.js';
import type { HostClock } from './virtual_time.js';

/** Something a host opened on the simulated network (a stream, a listener, a UDP socket). */
export interface SimEndpoint {
  /** The host crashed: drop everything, reset peers. */
  crash(): void;
}

/** @internal One boot of a simulated host. */
export class HostNode {
  alive = true;
  readonly endpoints = new Set<SimEndpoint>();

  constructor(
    /** Host name (what `TcpStream.connect('name:port')` resolves). */
    readonly name: string,
    /** Host index, stable across bounces (its address is derived from it). */
    readonly index: number,
    /** Boot number of the host, from 1. */
    readonly generation: number,
    readonly rt: Runtime,
    /** Its virtual clock (what its runtime was created with). */
    readonly clock: HostClock,
  ) {}

  /** The machine dies: sockets reset (peers see it), tasks dropped (cancelled). */
  crash(): void {
    this.alive = false;
    this.clock.dropApplicationTimers();
    for (const e of [...this.endpoints]) e.crash();
    this.endpoints.clear();
    void this.rt.shutdown();
  }
}
