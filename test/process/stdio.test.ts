import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { run } from '../../src/index.js';
import { Command } from '../../src/process/index.js';

const child = fileURLToPath(new URL('./stdio_child.js', import.meta.url));

test('new BufReader(stdin()) reads piped input line by line; stdout() writes it back', async () => {
  await run(function* () {
    const c = new Command(process.execPath).args([child, 'upper']).stdin('piped').stdout('piped').stderr('piped').spawn();
    const lines = Array.from({ length: 2000 }, (_, i) => `line ${i}`);
    yield* c.stdin!.writeAll(Buffer.from(lines.join('\n') + '\n'));
    yield* c.stdin!.shutdown();
    const out = yield* c.waitWithOutput();
    assert.equal(out.stderr.toString(), 'lines 2000\n');
    const got = out.stdout.toString().trimEnd().split('\n');
    assert.equal(got.length, 2000);
    assert.equal(got[0], '1:LINE 0');
    assert.equal(got[1999], '2000:LINE 1999');
    assert.equal(out.status.code, 0);
  });
});

test('writing to a closed stdout pipe is IoError EPIPE, not a crash', async () => {
  await run(function* () {
    const out = yield* new Command('sh').args(['-c', `"${process.execPath}" "${child}" flood | head -c 10 >/dev/null`]).stderr('piped').output();
    assert.match(out.stderr.toString(), /caught IoError EPIPE/);
    assert.equal(out.status.code, 0);
  });
});
