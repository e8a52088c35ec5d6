/**
 * kyoto sync: locks, semaphores, notifications, barriers and channels (see docs/sync.md).
 * @module
 */
export { SendError, RecvError, Lagged, LaggedError, AcquireError, GuardReleasedError } from './errors.js';
export { oneshot, OneshotSender, OneshotReceiver } from './oneshot.js';
export { Semaphore, SemaphorePermit } from './semaphore.js';
export { Mutex, MutexGuard } from './mutex.js';
export { RwLock, RwLockReadGuard, RwLockWriteGuard } from './rwlock.js';
export { Notify } from './notify.js';
export { Barrier, BarrierWaitResult } from './barrier.js';
export * as mpsc from './mpsc_ns.js';
export { broadcast, BroadcastSender, BroadcastReceiver } from './broadcast.js';
export { watch, WatchSender, WatchReceiver } from './watch.js';
