/**
 * `SignalStats`: how many process signals a runtime's `Signal`s received, reported in
 * `rt.metrics()` as `ioSignalsReceived` (the name it had when the I/O driver counted it).
 *
 * Invariant: a `Signal` keeps the stats of the runtime it was created on (signals arrive outside
 * any task). Tested in test/net/signal.test.ts.
 * @module
 */
import type { Driver } from '../runtime/driver.js';
import { Runtime } from '../runtime/runtime.js';

/** The key of the signal counters in the runtime's driver registry. */
export const SIGNAL_STATS_KEY: unique symbol = Symbol.for('kyoto.signal.stats');

/** @internal */
export class SignalStats implements Driver {
  signalsReceived = 0;
  metrics(into: Record<string, unknown>): void {
    into['ioSignalsReceived'] = this.signalsReceived;
  }
}

function make(): SignalStats {
  return new SignalStats();
}

/** @internal the signal counters of the runtime polling the caller (or the default runtime). */
export function signalStats(): SignalStats {
  return (Runtime.tryCurrent() ?? Runtime.default()).driver(SIGNAL_STATS_KEY, make);
}
