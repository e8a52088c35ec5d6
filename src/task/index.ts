/**
 * kyoto task: structured concurrency (see docs/structured-concurrency.md).
 * @module
 */
export { join, tryJoin } from './join.js';
export type { JoinOutput } from './join.js';
export { race, NoBranchesError } from './race.js';
export { select } from './select.js';
export type { SelectOptions, SelectResult } from './select.js';
export { byRef } from './by_ref.js';
export { NotAFutureError } from './into_future.js';
export type { IntoFuture, FutureOutput } from './into_future.js';
export { JoinSet } from './join_set.js';
export { JoinMap } from './join_map.js';
export type { KeyedJoinError } from './join_map.js';
export { TaskTracker } from './task_tracker.js';
export { abortOnDrop } from './abort_on_drop.js';
export type { AbortableHandle } from './abort_on_drop.js';
export type { AbortHandle, BodyOf } from './join_set.js';
export { scope, Scope, ScopeClosedError } from './scope.js';
export { CancellationToken, CancelledError } from './cancellation_token.js';
export { taskLocal, TaskLocal, TaskLocalAccessError } from './task_local.js';
export { shield } from './shield.js';
