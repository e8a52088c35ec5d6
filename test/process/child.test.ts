import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { realpathSync } from 'node:fs';
import { run, spawn, BufReader } from '../../src/index.js';
import { IoError } from '../../src/io/error.js';
import { Command, ExitStatus } from '../../src/process/index.js';
import { zombieChildren } from './helpers.js';

const sh = (script: string) => new Command('sh').args(['-c', script]);

test('exit codes: status() is the code, non-zero is not an error', async () => {
  await run(function* () {
    const ok = yield* sh('exit 0').status();
    assert.ok(ok instanceof ExitStatus);
    assert.equal(ok.success, true);
    assert.equal(ok.code, 0);
    const bad = yield* sh('exit 7').status();
    assert.equal(bad.success, false);
    assert.equal(bad.code, 7);
    assert.equal(bad.signal, null);
    assert.equal(String(bad), 'exit status: 7');
  });
});

test('a signal ends the child: status has the signal and no code', async () => {
  await run(function* () {
    const st = yield* sh('kill -TERM $$').status();
    assert.equal(st.code, null);
    assert.equal(st.signal, 'SIGTERM');
    assert.equal(st.success, false);
    assert.equal(String(st), 'signal: SIGTERM');
  });
});

test('output() collects stdout and stderr; args reach the program verbatim', async () => {
  await run(function* () {
    const out = yield* new Command('sh').args(['-c', 'printf "%s|" "$@"; echo err >&2; exit 2', 'sh', 'a b', '$HOME', '*']).output();
    assert.equal(out.stdout.toString(), 'a b|$HOME|*|');
    assert.equal(out.stderr.toString(), 'err\n');
    assert.equal(out.status.code, 2);
  });
});

test('env, envs, envRemove, envClear and cwd', async () => {
  process.env.KYOTO_INHERITED = 'yes';
  await run(function* () {
    const a = yield* sh('echo "$KYOTO_INHERITED $A $B"').env('A', '1').envs({ B: '2' }).output();
    assert.equal(a.stdout.toString(), 'yes 1 2\n');
    const b = yield* sh('echo "[$KYOTO_INHERITED]"').envRemove('KYOTO_INHERITED').output();
    assert.equal(b.stdout.toString(), '[]\n');
    const c = yield* new Command('/bin/sh').args(['-c', 'echo "[$KYOTO_INHERITED][$ONLY]"']).envClear().env('ONLY', 'me').output();
    assert.equal(c.stdout.toString(), '[][me]\n');
    const d = yield* sh('pwd').cwd(tmpdir()).output();
    assert.equal(d.stdout.toString().trim(), realpathSync(tmpdir()));
  });
});

test('a missing program is IoError ENOENT naming it, from spawn() and from output()', async () => {
  assert.throws(
    () => new Command('kyoto-no-such-program').spawn(),
    (e: unknown) => e instanceof IoError && e.code === 'ENOENT' && /kyoto-no-such-program/.test(e.message) && e.path === 'kyoto-no-such-program',
  );
  await assert.rejects(
    run(function* () {
      yield* new Command('kyoto-no-such-program').output();
    }),
    (e: unknown) => e instanceof IoError && e.code === 'ENOENT',
  );
  assert.throws(() => sh('true').cwd('/kyoto/no/such/dir').spawn(), (e: unknown) => e instanceof IoError && e.code === 'ENOENT');
  assert.throws(() => new Command('/etc/passwd').spawn(), (e: unknown) => e instanceof IoError && e.code === 'EACCES');
  assert.throws(() => sh('true').stdout('pipe' as never), TypeError);
});

test('piped stdin to cat: written bytes come back on stdout, EOF after shutdown', async () => {
  await run(function* () {
    const child = new Command('cat').stdin('piped').stdout('piped').spawn();
    assert.ok(child.id > 0);
    const input = Buffer.from('line one\nline two\n');
    yield* child.stdin!.writeAll(input);
    yield* child.stdin!.shutdown();
    const lines: string[] = [];
    const rd = new BufReader(child.stdout!);
    for (let l = yield* rd.readLine(); l !== null; l = yield* rd.readLine()) lines.push(l);
    assert.deepEqual(lines, ['line one', 'line two']);
    assert.equal((yield* child.wait()).success, true);
    assert.ok(child.tryWait()?.success);
  });
});

test('large output through pipes with backpressure: cat of 8 MiB written and read concurrently', async () => {
  const size = 8 << 20;
  await run(function* () {
    const child = new Command('cat').stdin('piped').stdout('piped').spawn();
    const writer = spawn(function* () {
      const chunk = Buffer.alloc(100_000);
      let sent = 0;
      while (sent < size) {
        const n = Math.min(chunk.length, size - sent);
        chunk.fill(sent & 0xff, 0, n);
        yield* child.stdin!.writeAll(chunk.subarray(0, n));
        sent += n;
      }
      yield* child.stdin!.shutdown();
    });
    let got = 0;
    let maxBuffered = 0;
    const buf = Buffer.alloc(65536);
    for (let n = yield* child.stdout!.read(buf); n > 0; n = yield* child.stdout!.read(buf)) {
      got += n;
      maxBuffered = Math.max(maxBuffered, child.stdout!.stream.readableLength, child.stdin!.stream.writableLength);
    }
    yield* writer;
    assert.equal(got, size);
    assert.ok(maxBuffered < 1 << 20, `buffers stay bounded (max ${maxBuffered})`);
    assert.equal((yield* child.wait()).code, 0);
  });
});

test('waitWithOutput drains both pipes at once: a child filling stderr first does not deadlock', async () => {
  await run(function* () {
    const child = sh('head -c 1000000 /dev/zero >&2; head -c 1000000 /dev/zero').stdout('piped').stderr('piped').spawn();
    const out = yield* child.waitWithOutput();
    assert.equal(out.stdout.length, 1_000_000);
    assert.equal(out.stderr.length, 1_000_000);
    assert.equal(out.status.success, true);
  });
});

test('writing to a child that closed its stdin gives IoError EPIPE, not a crash', async () => {
  await run(function* () {
    const child = sh('exec 0<&-; sleep 0.05').stdin('piped').spawn();
    const chunk = Buffer.alloc(65536);
    let err: unknown = null;
    try {
      for (let i = 0; i < 1000; i++) yield* child.stdin!.writeAll(chunk);
      yield* child.stdin!.flush();
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof IoError, `got ${String(err)}`);
    assert.equal(err.code, 'EPIPE');
    yield* child.wait();
  });
});

test('no zombies are left after the children above', () => {
  assert.deepEqual(zombieChildren(), []);
});

test('uid and gid run the child as the given ids (here: our own, which needs no privilege)', async () => {
  const uid = process.getuid!(), gid = process.getgid!();
  await run(function* () {
    const out = yield* new Command('sh').args(['-c', 'echo $(id -u) $(id -g)']).uid(uid).gid(gid).output();
    assert.equal(out.stdout.toString(), `${uid} ${gid}\n`);
  });
  if (uid !== 0) {
    assert.throws(() => new Command('true').uid(0).spawn(), (e: unknown) => e instanceof IoError && e.code === 'EPERM');
  }
});
