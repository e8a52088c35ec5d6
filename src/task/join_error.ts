/**
 * `JoinError` and `DeadlockError`, re-exported for users from where the runtime defines them
 * (`src/runtime/task/join_error.ts`).
 * @module
 */
export { JoinError, DeadlockError } from '../runtime/task/join_error.js';
