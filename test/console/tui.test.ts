/**
 * The terminal UI, driven in a real pseudo-terminal by tmux (send-keys to type, capture-pane to
 * read the screen) against the running demo.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { startDemo } from './demo_app.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const bin = fileURLToPath(new URL('../../src/bin/kyoto-console.js', import.meta.url));

function haveTmux(): boolean {
  return spawnSync('tmux', ['-V']).status === 0;
}

function ensureTmux(): string | null {
  if (haveTmux()) return null;
  spawnSync('bash', [join(root, 'scripts/install-chromium.sh')], { stdio: 'pipe', timeout: 300_000 });
  return haveTmux() ? null : 'tmux is not installed and scripts/install-chromium.sh could not install it';
}

const skipReason = ensureTmux();
const sock = `kyoto-tui-${process.pid}`;

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', sock, ...args], { encoding: 'utf8' });
}

function screen(): string {
  return tmux('capture-pane', '-p', '-t', 'tui');
}

async function waitFor(pred: (s: string) => boolean, what: string): Promise<string> {
  let s = '';
  for (let i = 0; i < 100; i++) {
    s = screen();
    if (pred(s)) return s;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting for ${what}; screen:\n${s}`);
}

function keys(...k: string[]): void {
  tmux('send-keys', '-t', 'tui', ...k);
}

/** Task names of the table rows, top to bottom. */
function rowNames(s: string): string[] {
  const out: string[] = [];
  for (const line of s.split('\n')) {
    const m = /^[ !] +(\d+) (\S+)/.exec(line);
    if (m !== null) out.push(m[2]!);
  }
  return out;
}

test('terminal UI: table, sorting, navigation, details, lints view, quit', { skip: skipReason ?? false, timeout: 60_000 }, async () => {
  const demo = await startDemo(0);
  try {
    tmux('new-session', '-d', '-s', 'tui', '-x', '200', '-y', '40', `${process.execPath} ${bin} 127.0.0.1:${demo.port}`);
    let s = await waitFor((x) => x.includes('acceptLoop') && x.includes('waitForever'), 'the task table');
    assert.match(s, /kyoto-console 127\.0\.0\.1:\d+ +connected +runtime demo/);
    assert.match(s, /ID▲ NAME/);
    assert.match(s, /handleClient > writeAll > TcpStream\.write \(waiting/);
    // Rows with lints are marked with '!'.
    assert.match(s, /^! +\d+ waitForever/m);
    assert.match(s, /^ +\d+ acceptLoop/m);
    // s: sort by the next column (NAME), ascending.
    keys('s');
    // A frame captured while the screen is being redrawn can mix rows of two frames, so wait for a
    // whole sorted frame (a sort that never sorts still fails, by timing out).
    const sorted = (n: string[]): boolean => n.every((v, i) => i === 0 || n[i - 1]!.localeCompare(v) <= 0);
    s = await waitFor((x) => x.includes('NAME▲') && sorted(rowNames(x)), 'sort by name');
    const names = rowNames(s);
    assert.ok(names.length >= 8, names.join(','));
    assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b)));
    // r: reverse.
    keys('r');
    s = await waitFor((x) => x.includes('NAME▼'), 'reverse sort');
    assert.equal(rowNames(s)[0], 'waitForever');
    keys('r');
    await waitFor((x) => x.includes('NAME▲'), 'sort back');
    // Enter on the first row opens its details.
    keys('Enter');
    s = await waitFor((x) => /task acceptLoop \(id \d+\)/.test(x), 'acceptLoop details');
    assert.match(s, /await chain: acceptLoop > TcpListener\.accept \(waiting .* for a connection\)/);
    assert.match(s, /at .*demo_app\.ts:\d+:\d+/);
    assert.match(s, /poll time: n=1/);
    // Escape goes back; j moves down one row; Enter opens that one.
    keys('Escape');
    await waitFor((x) => x.includes('NAME▲'), 'back to the table');
    keys('j');
    keys('Enter');
    s = await waitFor((x) => /task handleClient \(id \d+\)/.test(x), 'handleClient details');
    assert.match(s, /handleClient > writeAll > TcpStream\.write/);
    keys('BSpace');
    await waitFor((x) => x.includes('NAME▲'), 'back again');
    // Down arrow and k (up) also move the selection.
    keys('Down', 'Down', 'k', 'Enter');
    await waitFor((x) => /task handleClient \(id \d+\)/.test(x) && x.includes('await chain'), 'second handleClient');
    keys('Escape');
    // 3: the lints view.
    keys('3');
    s = await waitFor((x) => x.includes('lost-waker'), 'lints view');
    assert.match(s, /blocking-poll: task hashPasswords/);
    assert.match(s, /lost-waker: task waitForever/);
    keys('2');
    s = await waitFor((x) => x.includes('mpsc'), 'resources view');
    assert.match(s, /mpsc +jobs/);
    // q quits: the session ends with the process.
    keys('q');
    for (let i = 0; i < 50 && spawnSync('tmux', ['-L', sock, 'has-session', '-t', 'tui']).status === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.notEqual(spawnSync('tmux', ['-L', sock, 'has-session', '-t', 'tui']).status, 0, 'kyoto-console exited on q');
  } finally {
    spawnSync('tmux', ['-L', sock, 'kill-server']);
    await demo.stop();
  }
});

test('terminal UI helpers: key splitting and SSE parsing', async () => {
  const { splitKeys, parseSse } = await import('../../src/console/tui/app.js');
  assert.deepEqual(splitKeys('\x1b[B\x1b[Bk\r'), ['\x1b[B', '\x1b[B', 'k', '\r']);
  assert.deepEqual(splitKeys('\x1b[5~q\x1bOA'), ['\x1b[5~', 'q', '\x1bOA']);
  assert.deepEqual(splitKeys('\x1b'), ['\x1b']);
  const got: [string, string][] = [];
  const rest = parseSse('retry: 1000\n\nevent: state\ndata: {"a":1}\n\nevent: state\ndata: {"a"', (e, d) => got.push([e, d]));
  assert.deepEqual(got, [['state', '{"a":1}']]);
  assert.equal(rest, 'event: state\ndata: {"a"');
});
