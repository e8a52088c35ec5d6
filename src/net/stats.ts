/**
 * `NetStats`: the protocol counters of one runtime's sockets (TCP accepts and connects, refused
 * connections, UDP datagrams), reported in `rt.metrics()` under their `io*` names
 * (`ioTcpAccepted`, `ioUdpDropped`, ...), which they kept when they moved out of the I/O driver.
 *
 * Invariant: a resource keeps the `NetStats` of the runtime it was opened on, so counts made in
 * transport callbacks (outside any task) land in the right runtime. Tested in
 * test/net/unix_udp.test.ts (drops) and connections.test.ts (refusals).
 * @module
 */
import type { Driver } from '../runtime/driver.js';
import { addIoMetrics } from '../runtime/io/counters.js';
import { Runtime } from '../runtime/runtime.js';

/** The key of the net counters in the runtime's driver registry. */
export const NET_STATS_KEY: unique symbol = Symbol.for('kyoto.net.stats');

/** @internal */
export class NetStats implements Driver {
  tcpAccepted = 0;
  tcpConnected = 0;
  tcpAcceptRefused = 0;
  unixAccepted = 0;
  unixConnected = 0;
  udpDatagramsReceived = 0;
  udpDatagramsSent = 0;
  udpDropped = 0;

  metrics(into: Record<string, unknown>): void {
    addIoMetrics(into, this);
  }
}

function make(): NetStats {
  return new NetStats();
}

/**
 * @internal the net counters of the runtime polling the caller (or the default runtime).
 */
export function netStats(): NetStats {
  return (Runtime.tryCurrent() ?? Runtime.default()).driver(NET_STATS_KEY, make);
}
