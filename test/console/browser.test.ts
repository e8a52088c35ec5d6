/**
 * The web UI in a real browser: Debian's Chromium driven by playwright-core against the running
 * demo. Installs Chromium with scripts/install-chromium.sh when it is missing; skips (saying
 * why) only where it cannot be installed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDemo } from './demo_app.js';

const CHROMIUM = '/usr/bin/chromium';
const root = fileURLToPath(new URL('../../../', import.meta.url)); // repo root (from dist/test/console/)

function ensureChromium(): string | null {
  if (existsSync(CHROMIUM)) return null;
  try {
    execFileSync('bash', [join(root, 'scripts/install-chromium.sh')], { stdio: 'pipe', timeout: 300_000 });
  } catch (e) {
    return `Chromium is not installed and scripts/install-chromium.sh could not install it: ${String((e as { stderr?: Buffer }).stderr ?? e).trim().slice(0, 300)}`;
  }
  return existsSync(CHROMIUM) ? null : 'scripts/install-chromium.sh ran but /usr/bin/chromium is still missing';
}

const skipReason = ensureChromium();

/**
 * Screenshots land in docs/ when KYOTO_UPDATE_SCREENSHOTS=1 (or when docs/ has none yet), so an
 * ordinary `npm test` leaves the work tree clean; otherwise in a temporary folder.
 */
function shotPath(name: string, tmp: string): string {
  const docs = join(root, 'docs', name);
  return process.env.KYOTO_UPDATE_SCREENSHOTS === '1' || !existsSync(docs) ? docs : join(tmp, name);
}

function assertPng(path: string): void {
  const head = readFileSync(path).subarray(0, 8);
  assert.deepEqual([...head], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], `${path} is a PNG`);
}

/** The canvas members the test reads (the test is compiled without the DOM library). */
interface CanvasLike {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } };
}

test('web UI: task rows, sorting, filtering, a task detail with chain and histogram, lints, views', { skip: skipReason ?? false, timeout: 60_000 }, async () => {
  const { chromium } = await import('playwright-core');
  const demo = await startDemo(0);
  const profile = mkdtempSync(join(tmpdir(), 'kyoto-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    viewport: { width: 1500, height: 760 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const page = await browser.newPage();
    await page.goto(demo.url);
    // Rows: every demo task appears.
    await page.waitForSelector('#tasks tbody tr[data-id]');
    const names = await page.$$eval('#tasks tbody tr td:nth-child(2)', (tds) => tds.map((td) => (td.textContent ?? '').replace('⚠ ', '')));
    for (const n of ['acceptLoop', 'handleClient', 'ticker', 'spinner', 'hashPasswords', 'waitForever', 'producer']) {
      assert.ok(names.includes(n), `row for ${n} in ${names.join(',')}`);
    }
    // Sorting: click Name sorts ascending by name; clicking again sorts descending.
    await page.click('th[data-key="name"]');
    let sorted = await page.$$eval('#tasks tbody tr td:nth-child(2)', (tds) => tds.map((td) => (td.textContent ?? '').replace('⚠ ', '')));
    assert.deepEqual(sorted, [...sorted].sort((a, b) => a.localeCompare(b)));
    await page.click('th[data-key="name"]');
    sorted = await page.$$eval('#tasks tbody tr td:nth-child(2)', (tds) => tds.map((td) => (td.textContent ?? '').replace('⚠ ', '')));
    assert.deepEqual(sorted, [...sorted].sort((a, b) => b.localeCompare(a)));
    assert.equal(sorted[0], 'waitForever');
    // Sort by polls, descending: the ticker and spinner poll most.
    await page.click('th[data-key="polls"]');
    const polls = await page.$$eval('#tasks tbody tr td:nth-child(4)', (tds) => tds.map((td) => Number(td.textContent)));
    assert.deepEqual(polls, [...polls].sort((a, b) => b - a));
    // A lint highlighted: the lost waker row is marked as an error, the blocking task as a warning.
    const lostClass = await page.$eval('#tasks tbody tr[data-name="waitForever"]', (tr) => tr.className);
    assert.match(lostClass, /lint-error/);
    const blockingTitle = await page.$eval('#tasks tbody tr[data-name="hashPasswords"]', (tr) => tr.getAttribute('title'));
    assert.match(blockingTitle ?? '', /blocking-poll/);
    // Filtering.
    await page.fill('#filter', 'handleClient');
    await page.waitForFunction("document.querySelectorAll('#tasks tbody tr').length === 3");
    const chains = await page.$$eval('#tasks tbody tr td.chain', (tds) => tds.map((td) => td.textContent ?? ''));
    for (const c of chains) assert.match(c, /handleClient > writeAll > TcpStream\.write \(waiting .* for drain of \d+ bytes\)/);
    await page.fill('#filter', '');
    // Detail view of the ticker: histogram drawn, await chain shown.
    await page.fill('#filter', 'ticker');
    await page.waitForFunction("document.querySelectorAll('#tasks tbody tr').length === 1");
    await page.click('#tasks tbody tr');
    await page.waitForSelector('#detail #detail-title');
    assert.match(await page.textContent('#detail-title') ?? '', /task ticker \(id \d+\)/);
    await page.waitForSelector('#hist-poll');
    const painted = await page.$eval('#hist-poll', (c) => {
      const cv = c as unknown as CanvasLike;
      const d = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) n++;
      return n;
    });
    assert.ok(painted > 100, `histogram canvas has drawn pixels (${painted})`);
    assert.match(await page.textContent('#chain') ?? '', /ticker > sleep\(20 ms\)/);
    assert.match(await page.textContent('#chain') ?? '', /demo_app\.ts:\d+:\d+/);
    const taskShot = shotPath('console-task.png', profile);
    await page.screenshot({ path: taskShot });
    assertPng(taskShot);
    // The lints view lists each kind the demo provokes.
    await page.click('#tab-lints');
    await page.waitForSelector('#lints .lint');
    const kinds = await page.$$eval('#lints .lint', (ls) => ls.map((l) => l.getAttribute('data-kind')));
    for (const k of ['lost-waker', 'blocking-poll', 'self-wakes', 'unawaited-failure', 'channel-no-receivers']) {
      assert.ok(kinds.includes(k), `lint ${k} listed (got ${kinds.join(',')})`);
    }
    // Resources and workers views.
    await page.click('#tab-resources');
    await page.waitForSelector('#resources');
    assert.match(await page.textContent('#resources') ?? '', /mpsc\s*jobs/);
    await page.click('#tab-workers');
    await page.waitForSelector('#workers');
    assert.match(await page.textContent('#workers') ?? '', /workers \(1\)/);
    // Screenshot of the task table for the docs.
    await page.click('#tab-tasks');
    await page.fill('#filter', '');
    await page.waitForSelector('#tasks tbody tr[data-name="acceptLoop"]');
    await page.click('th[data-key="id"]');
    await page.click('th[data-key="id"]');
    const web = shotPath('console-web.png', profile);
    await page.screenshot({ path: web });
    assertPng(web);
  } finally {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
    await demo.stop();
  }
});
