/**
 * kyoto signal: `signal(name)` and `ctrlC()` (see docs/net.md).
 * @module
 */
export { Signal, SignalError, signal, ctrlC } from './signal.js';
export type { SignalName } from './signal.js';
