/**
 * Registers kyoto's own error classes with the cross-thread error codec, so that an error a
 * task throws on a worker or a blocking thread arrives as an instance of the same class
 * (`e instanceof IoError`, `e instanceof JoinError` and `isCancelled()` all hold). Every thread
 * that runs or awaits parallel tasks imports this module (the `parallel` layer, worker and
 * blocking-thread entry modules), so the class names resolve the same way everywhere.
 *
 * Proved by test/parallel/errors.test.ts.
 * @module
 */
import { registerErrorClass } from '../runtime/scheduler/multi_thread/error_wire.js';
import { ParallelArgumentError, WorkerDiedError } from '../runtime/scheduler/multi_thread/errors.js';
import { DuplicateTaskError, UnknownTaskError } from '../runtime/scheduler/multi_thread/registry.js';
import { EntryModuleTaskError } from '../runtime/scheduler/multi_thread/entry_guard.js';
import { NoParallelRuntimeError } from '../runtime/scheduler/multi_thread/current.js';
import { ParallelHeapExhaustedError } from '../runtime/scheduler/multi_thread/heap.js';
import { RuntimeShutdownError } from '../runtime/shutdown.js';
import { ClockError } from '../runtime/time/driver.js';
import { SpawnError } from '../runtime/spawn_body.js';
import { NoRuntimeError } from '../future/future.js';
import { JoinError, DeadlockError } from '../task/join_error.js';
import { ScopeClosedError } from '../task/scope.js';
import { NotAFutureError } from '../task/into_future.js';
import { NoBranchesError } from '../task/race.js';
import { TaskLocalAccessError } from '../task/task_local.js';
import { CancelledError } from '../task/cancellation_token.js';
import { RecvError, Lagged, AcquireError, GuardReleasedError } from '../sync/errors.js';
import { Elapsed } from '../time/timeout.js';
import { IoError } from '../io/error.js';
import { StreamClosedError } from '../stream/async_iter.js';
import { StreamTimeoutError, StreamArgumentError } from '../stream/errors.js';
import { AddrParseError } from '../net/addr.js';
import { PolledAfterCompletionError } from '../util/errors.js';

for (const C of [
  ParallelArgumentError,
  WorkerDiedError,
  DuplicateTaskError,
  UnknownTaskError,
  NoParallelRuntimeError,
  EntryModuleTaskError,
  ParallelHeapExhaustedError,
  RuntimeShutdownError,
  ClockError,
  SpawnError,
  NoRuntimeError,
  DeadlockError,
  ScopeClosedError,
  NotAFutureError,
  NoBranchesError,
  TaskLocalAccessError,
  CancelledError,
  RecvError,
  Lagged,
  AcquireError,
  GuardReleasedError,
  Elapsed,
  IoError,
  StreamClosedError,
  StreamTimeoutError,
  StreamArgumentError,
  AddrParseError,
  PolledAfterCompletionError,
]) {
  registerErrorClass(C);
}

// A JoinError's kind is a private field: carried explicitly, rebuilt through the constructor.
registerErrorClass(
  JoinError,
  (e) => {
    const j = e as JoinError;
    return { cancelled: j.isCancelled(), taskId: j.taskId, taskName: j.taskName };
  },
  (_message, state, cause) => {
    const s = state as { cancelled: boolean; taskId: number; taskName: string };
    return new JoinError(s.cancelled ? 'cancelled' : 'panic', s.taskId, s.taskName, cause);
  },
);
