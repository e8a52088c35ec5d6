/**
 * The `mpsc` namespace: `mpsc.channel`, `mpsc.unbounded` and the handle types.
 * @module
 */
export { channel, unbounded, Sender, UnboundedSender, Receiver, Permit } from './mpsc.js';
