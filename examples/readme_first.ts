/**
 * The README's first program, kept compiling and running (see test/core/readme.test.ts).
 */
import { run, sleep, timeout, JoinSet, Elapsed, type Gen } from '../src/index.js';

// Hoisted, named generator functions with arguments are the recommended task bodies.
function* fetchUser(id: number): Gen<{ id: number }> {
  yield* sleep(10 * id); // `yield*` is `.await`, fully typed
  return { id };
}

/** Runs the README program; resolves with the users fetched and whether the timeout fired. */
export async function readmeFirstProgram(): Promise<{ users: { id: number }[]; timedOut: boolean }> {
  return run(
    function* main() {
      const set = new JoinSet<{ id: number }>();
      for (let id = 1; id <= 3; id++) set.spawn(fetchUser, id); // spawn(body, ...args)
      const users: { id: number }[] = [];
      for (let u = yield* set.joinNext(); u !== undefined; u = yield* set.joinNext()) users.push(u);
      let timedOut = false;
      try {
        yield* timeout(5, fetchUser(2)); // throws Elapsed after 5 ms; the inner future is dropped
      } catch (e) {
        timedOut = e instanceof Elapsed;
      }
      return { users, timedOut };
    },
    { startPaused: true },
  );
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await readmeFirstProgram());
