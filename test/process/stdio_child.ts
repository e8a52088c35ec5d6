/** A child program for test/process/stdio.test.ts: `upper` echoes stdin upper-cased, `flood` writes until EPIPE. */
import { BufReader, run } from '../../src/index.js';
import { IoError } from '../../src/io/error.js';
import { stdin, stdout, stderr } from '../../src/io/stdio.js';

const mode = process.argv[2];
await run(function* () {
  if (mode === 'upper') {
    const lines = new BufReader(stdin()).lines();
    let n = 0;
    for (let l = yield* lines.next(); l !== undefined; l = yield* lines.next()) {
      yield* stdout().writeAll(Buffer.from(`${++n}:${l.toUpperCase()}\n`));
    }
    yield* stdout().flush();
    yield* stderr().writeAll(Buffer.from(`lines ${n}\n`));
  } else if (mode === 'flood') {
    const chunk = Buffer.alloc(16384, 'y');
    try {
      for (;;) yield* stdout().writeAll(chunk);
    } catch (e) {
      yield* stderr().writeAll(Buffer.from(`caught ${e instanceof IoError ? `IoError ${e.code}` : String(e)}\n`));
    }
  }
});
