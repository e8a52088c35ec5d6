import { test } from 'node:test';
import assert from 'node:assert/strict';
import { get, request } from 'node:http';
import { spawn as spawnProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  ConsoleConfigError,
  Runtime,
  consoleOf,
  parseConsoleAddress,
  startConsole,
  type ConsoleState,
  type TaskDetail,
} from '../../src/index.js';
import { Parked } from './demo_app.js';

const srcIndex = fileURLToPath(new URL('../../src/index.js', import.meta.url));

function* waiter(p: Parked) {
  yield* p;
}

async function getText(url: string, headers: Record<string, string> = {}): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
    }).on('error', reject);
  });
}

/** Reads `n` SSE `state` events, calling `between` after the first. */
function readEvents(url: string, n: number, between: () => void): Promise<{ type: string; states: ConsoleState[] }> {
  return new Promise((resolve, reject) => {
    const states: ConsoleState[] = [];
    const req = get(url, (res) => {
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        buf += c;
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const frame = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const ev = /^event: (\w+)$/m.exec(frame)?.[1];
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          if (ev !== 'state' || data === undefined) continue;
          states.push(JSON.parse(data) as ConsoleState);
          if (states.length === 1) between();
          if (states.length === n) {
            req.destroy();
            resolve({ type: String(res.headers['content-type']), states });
          }
        }
      });
    });
    req.on('error', (e) => {
      if (states.length < n) reject(e);
    });
  });
}

test('server: the SSE stream sends the state, then updates with new tasks', async () => {
  const rt = new Runtime({ name: 'svc' });
  const c = startConsole(rt, { port: 0 });
  const url = await c.ready;
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  const p1 = new Parked('Recv', 'a job');
  const p2 = new Parked('Accept', '');
  const first = rt.spawnNamed('jobs', waiter, p1);
  let second = 0;
  await new Promise((r) => setTimeout(r, 5));
  const { type, states } = await readEvents(`${url}api/events`, 2, () => {
    second = rt.spawnNamed('acceptor', waiter, p2).id;
  });
  assert.match(type, /^text\/event-stream/);
  const [a, b] = states as [ConsoleState, ConsoleState];
  assert.equal(a.runtime, 'svc');
  assert.deepEqual(a.tasks.map((t) => t.name), ['jobs']);
  const row = a.tasks[0]!;
  assert.equal(row.id, first.id);
  assert.equal(row.state, 'idle');
  assert.equal(row.kind, 'task');
  assert.equal(row.polls, 1);
  assert.match(row.location, /server\.test\.ts:\d+:\d+/);
  assert.match(row.chain, /^jobs > waiter > Recv \(waiting .* for a job\)$/);
  for (const k of ['busyMs', 'scheduledMs', 'idleMs', 'ageMs', 'wakes', 'selfWakes', 'sinceWakeMs', 'parent'] as const) {
    assert.equal(typeof row[k], 'number', k);
  }
  assert.deepEqual(b.tasks.map((t) => t.id), [first.id, second]);
  assert.ok(b.now > a.now);
  assert.equal(b.workers.length, 1);
  assert.equal(typeof b.metrics['spawnedTasksCount'], 'number');
  assert.deepEqual(Object.keys(b.blocking).sort(), ['idle', 'queueDepth', 'threads']);
  assert.ok(b.histograms.poll.count >= 2);
  p1.release();
  p2.release();
  await rt.shutdown();
});

test('server: JSON routes, task detail, dump, 404s and the loopback Host guard', async () => {
  const rt = new Runtime();
  const c = startConsole(rt, { port: 0 });
  const url = await c.ready;
  const p = new Parked('Recv', '');
  const h = rt.spawn(waiter, p);
  await new Promise((r) => setTimeout(r, 5));
  const state = await getText(`${url}api/state`);
  assert.equal(state.status, 200);
  assert.match(state.type, /application\/json/);
  assert.equal((JSON.parse(state.body) as ConsoleState).tasks[0]!.id, h.id);
  const detail = await getText(`${url}api/tasks/${h.id}`);
  const d = JSON.parse(detail.body) as TaskDetail;
  assert.equal(d.task.name, 'waiter');
  assert.equal(d.chain!.label, 'Recv');
  assert.equal(d.chain!.frames[0]!.fn, 'waiter');
  assert.equal(d.poll!.count, 1);
  const missing = await getText(`${url}api/tasks/999999`);
  assert.equal(missing.status, 404);
  assert.match(missing.body, /no live task with id 999999/);
  const dump = await getText(`${url}api/dump`);
  assert.match(dump.body, new RegExp(`task waiter \\(id ${h.id}`));
  const page = await getText(url);
  assert.match(page.body, /<title>kyoto console<\/title>/);
  assert.match((await getText(`${url}app.js`)).type, /text\/javascript/);
  assert.equal((await getText(`${url}nope`)).status, 404);
  assert.equal((await getText(`${url}api/lints`)).status, 200);
  const rebound = await getText(`${url}api/state`, { host: 'evil.example:80' });
  assert.equal(rebound.status, 403);
  const post = await new Promise<number>((resolve, reject) => {
    const r = request(`${url}api/state`, { method: 'POST' }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    r.on('error', reject);
    r.end();
  });
  assert.equal(post, 405);
  p.release();
  await rt.shutdown();
  assert.equal(consoleOf(rt), null, 'the console closes with its runtime');
  await assert.rejects(getText(`${url}api/state`));
});

test('config: addresses and options are validated with ConsoleConfigError', () => {
  assert.deepEqual(parseConsoleAddress('127.0.0.1:6669'), { host: '127.0.0.1', port: 6669 });
  assert.deepEqual(parseConsoleAddress('[::1]:7000'), { host: '::1', port: 7000 });
  assert.deepEqual(parseConsoleAddress('7001'), { host: '127.0.0.1', port: 7001 });
  assert.deepEqual(parseConsoleAddress(':7002'), { host: '127.0.0.1', port: 7002 });
  assert.throws(() => parseConsoleAddress('localhost:http'), (e: unknown) => e instanceof ConsoleConfigError && /"localhost:http"/.test(e.message));
  assert.throws(() => parseConsoleAddress('1.2.3.4:70000'), /port must be an integer from 0 to 65535, got 70000/);
  const rt = new Runtime();
  assert.throws(() => startConsole(rt, { port: -1 }), ConsoleConfigError);
  assert.throws(() => startConsole(rt, { port: 0, intervalMs: 100 }), /intervalMs must be a number >= 250, got 100/);
  assert.throws(() => new Runtime({ console: { port: 1.5 } }), /got 1.5/);
  assert.equal(consoleOf(rt), null);
});

test('startConsole on a runtime with a console returns the same console', async () => {
  const rt = new Runtime({ console: { port: 0 } });
  const c = consoleOf(rt)!;
  assert.equal(startConsole(rt, { port: 0 }), c);
  await c.ready;
  await c.close();
  assert.equal(consoleOf(rt), null);
  await rt.shutdown();
});

function runChild(code: string, env: Record<string, string>, onStdout?: (s: string, kill: (sig: NodeJS.Signals) => void) => void): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawnProcess(process.execPath, ['--input-type=module', '-e', code], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.stdout.on('data', (b: Buffer) => {
      stdout += b.toString();
      onStdout?.(stdout, (sig) => child.kill(sig));
    });
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      resolve({ stdout, stderr });
    });
  });
}

test('KYOTO_CONSOLE starts the console of the first runtime; a bad value is reported, not thrown', async () => {
  const code = `import { Runtime, consoleOf } from ${JSON.stringify(srcIndex)};
    const a = new Runtime(); const b = new Runtime();
    console.log(await consoleOf(a)?.ready, consoleOf(b));
    await a.shutdown(); await b.shutdown();`;
  const ok = await runChild(code, { KYOTO_CONSOLE: '127.0.0.1:0' });
  assert.match(ok.stdout, /^http:\/\/127\.0\.0\.1:\d+\/ null$/m);
  const bad = await runChild(code, { KYOTO_CONSOLE: 'nonsense:port' });
  assert.match(bad.stderr, /KYOTO_CONSOLE ignored: console address must be host:port/);
  assert.match(bad.stdout, /undefined null/);
});

test('SIGUSR2 prints the task dump to stderr', async () => {
  const code = `import { Runtime, Future, Pending } from ${JSON.stringify(srcIndex)};
    class Wait extends Future { poll(cx) { this.w = cx.waker; return Pending; } }
    function* sleeper() { yield* new Wait(); }
    const rt = new Runtime({ console: { port: 0 }, name: 'sig' });
    rt.spawn(sleeper);
    setTimeout(() => console.log('ready'), 20);
    setTimeout(() => process.exit(0), 10000);`;
  let sent = false;
  const out = await runChild(code, {}, (s, kill) => {
    if (!sent && s.includes('ready')) {
      sent = true;
      kill('SIGUSR2');
      setTimeout(() => kill('SIGTERM'), 300);
    }
  });
  assert.match(out.stderr, /kyoto task dump: runtime sig/);
  assert.match(out.stderr, /task sleeper \(id \d+[^\n]*\n {2}awaits: sleeper > Wait \(waiting [^)]*\)\n {4}at sleeper /);
});

test('startConsole refuses a runtime that has shut down', async () => {
  const rt = new Runtime();
  await rt.shutdown();
  assert.throws(() => startConsole(rt, { port: 0 }), /cannot start a console on a runtime that has shut down/);
});
