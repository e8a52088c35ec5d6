/**
 * kyoto sync: locks, semaphores, notifications, barriers and channels (see docs/sync.md).
 * @module
 */
export { SendError, RecvError, Lagged, AcquireError, GuardReleasedError } from './errors.js';
export { oneshot, OneshotSender, OneshotReceiver } from './oneshot.js';
