/**
 * `IoCounters`: the I/O driver's own figures (bytes and readiness events of every resource),
 * added to `rt.metrics()` with an `io` prefix. Protocol figures (TCP accepts, UDP drops,
 * signals) are counted by `net/` and `signal/` themselves (`net/stats.ts`, `signal/stats.ts`).
 * @module
 */

/** Counters of the I/O driver (added to `rt.metrics()` with an `io` prefix). */
export interface IoCounters {
  bytesRead: number;
  bytesWritten: number;
  readReadyEvents: number;
  writePendingCount: number;
  socketErrors: number;
}

/** @internal a zeroed set. */
export function newIoCounters(): IoCounters {
  return { bytesRead: 0, bytesWritten: 0, readReadyEvents: 0, writePendingCount: 0, socketErrors: 0 };
}

/**
 * Adds `counters` to `into` as `io` + the capitalised name (`tcpAccepted` → `ioTcpAccepted`).
 *
 * @example
 * ```ts
 * addIoMetrics(into, { tcpAccepted: 3 }); // into.ioTcpAccepted === 3
 * ```
 */
export function addIoMetrics(into: Record<string, unknown>, counters: object): void {
  const c = counters as Record<string, number>;
  for (const k of Object.keys(c)) into[`io${k[0]!.toUpperCase()}${k.slice(1)}`] = c[k];
}
