/**
 * Fetch-all with a JoinSet (the seeds' `fetch_all`): spawn one task per URL, collect the bodies
 * in the order the responses arrive. Leaving the function early (here: `fetchFirst`) disposes the
 * set, which aborts the fetches still running; their AbortSignal fires and the requests are
 * cancelled.
 *
 * Run: `npx tsc && node dist/examples/fetch_all.js`
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { Runtime, JoinSet, type Gen } from '../src/index.js';

/** One HTTP GET. Spawned as a task: kyoto passes the AbortSignal that `abort()` sets. */
async function fetchText(url: string, signal: AbortSignal): Promise<string> {
  const res = await fetch(url, { signal });
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return res.text();
}

/** Every body, in completion order. */
function* fetchAll(urls: string[]): Gen<string[]> {
  using set = new JoinSet<string>();
  for (const url of urls) set.spawn(fetchText, url);
  const results: string[] = [];
  let body: string | undefined;
  while ((body = yield* set.joinNext()) !== undefined) results.push(body);
  return results;
}

/** The first `n` bodies; the other fetches are aborted when `set` is disposed. */
function* fetchFirst(urls: string[], n: number): Gen<string[]> {
  using set = new JoinSet<string>();
  for (const url of urls) set.spawn(fetchText, url);
  const results: string[] = [];
  while (results.length < n) {
    const body = yield* set.joinNext();
    if (body === undefined) break;
    results.push(body);
  }
  return results;
}

/** A local server: `/page/<ms>` answers `page <ms>` after `ms` milliseconds. */
function startServer(): Promise<{ base: string; aborted: () => number; close: () => Promise<void> }> {
  let aborted = 0;
  const server = http.createServer((req, res) => {
    const ms = Number((req.url ?? '').split('/').pop());
    const t = setTimeout(() => res.end(`page ${ms}`), ms);
    res.on('close', () => {
      if (!res.writableEnded) {
        aborted++;
        clearTimeout(t);
      }
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        base: `http://127.0.0.1:${port}`,
        aborted: () => aborted,
        close: () =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}

/** Runs both and returns what they gave (the test checks it). */
export async function main(): Promise<{ all: string[]; first: string[]; abortedRequests: number }> {
  const srv = await startServer();
  const rt = new Runtime();
  try {
    // Response times 100 ms apart: the completion order does not depend on scheduling jitter.
    const urls = [300, 100, 200, 0].map((ms) => `${srv.base}/page/${ms}`);
    const all = await rt.blockOn(fetchAll, urls);
    const first = await rt.blockOn(fetchFirst, [`${srv.base}/page/0`, `${srv.base}/page/2000`, `${srv.base}/page/3000`], 1);
    // Give the server a moment to see the aborted connections close.
    for (let i = 0; i < 50 && srv.aborted() < 2; i++) await new Promise((r) => setTimeout(r, 5));
    return { all, first, abortedRequests: srv.aborted() };
  } finally {
    await rt.shutdown();
    await srv.close();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await main();
  console.log('fetchAll, in completion order:', r.all);
  console.log('fetchFirst(1):', r.first, `(the other ${r.abortedRequests} requests were aborted)`);
}
