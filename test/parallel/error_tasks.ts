// Parallel tasks that throw, for test/parallel/errors.test.ts (imported by every worker).
import { readFileSync } from 'node:fs';
import { parallel, IoError, JoinError, type Gen } from '../../src/index.js';

export class CustomError extends RangeError {}

/** Throws what `what` names, on the worker. */
export const thrower = parallel(import.meta.url, 'errors.thrower', function* (what: string): Gen<never> {
  yield* [];
  switch (what) {
    case 'number':
      throw 42;
    case 'object':
      throw { code: 'E_X', detail: [1, 2] };
    case 'props':
      throw Object.assign(new TypeError('with props'), { code: 'E_PROPS', errno: -2, path: '/x', syscall: 'open', extra: { n: 1 } });
    case 'io':
      throw new IoError('ECONNRESET', 'read ECONNRESET', { syscall: 'read', address: '127.0.0.1:1' });
    case 'cause':
      throw new Error('outer', { cause: Object.assign(new RangeError('inner'), { code: 'E_INNER' }) });
    case 'custom':
      throw new CustomError('a user subclass');
    case 'function':
      throw () => 1;
    default:
      throw new Error(`unknown case ${what}`);
  }
});

/** Rethrows the JoinError of a child that failed (it crosses two threads). */
export const rethrowJoin = parallel(import.meta.url, 'errors.rethrowJoin', function* (): Gen<never> {
  try {
    yield* thrower.spawn('number');
  } catch (e) {
    if (e instanceof JoinError) throw e;
    throw new Error('expected a JoinError');
  }
  throw new Error('unreachable');
});

/** Sync file read (for spawnBlocking): ENOENT keeps its code. */
export const readMissing = parallel(import.meta.url, 'errors.readMissing', (path: string) => readFileSync(path, 'utf8'));

/** Returns a value that cannot be copied back: the task fails with ParallelArgumentError. */
export const uncopyableResult = parallel(import.meta.url, 'errors.uncopyableResult', () => () => 1);
