/**
 * kyoto inside an existing node:http app, the way an Express or Fastify handler would use it:
 * each request runs its kyoto work as a root task with `rt.blockOnWith({ signal })`, and the
 * signal is aborted when the client disconnects, so the work stops (its `finally` blocks run, the
 * upstream `fetch` it was making is aborted) instead of running on for nobody.
 *
 *   node dist/examples/express_style.js [port]     (default 8082)
 *   curl 127.0.0.1:8082/report?ms=2000   (press Ctrl-C in curl before it answers)
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { pathToFileURL } from 'node:url';
import { JoinError, Runtime, fromPromise, sleep, timeout, type Gen } from '../src/index.js';

/** What the server tells the caller about each request (for logs and tests). */
export type RequestEvent = { url: string; outcome: 'answered' | 'stopped: client gone' | 'failed'; cleanedUp: boolean };

/** The kyoto work of one request: a few slow steps, each an upstream call with a time limit. */
export function* buildReport(steps: number, stepMs: number, upstream: string | null, state: { cleanedUp: boolean }): Gen<string> {
  const parts: string[] = [];
  try {
    for (let i = 0; i < steps; i++) {
      if (upstream !== null) {
        // The signal is aborted if this future is dropped: by the timeout, or because the
        // request was aborted; fetch then aborts the upstream request itself.
        const res = yield* timeout(5_000, fromPromise((signal) => fetch(upstream, { signal })));
        parts.push(yield* fromPromise(res.text()));
      } else {
        yield* sleep(stepMs);
        parts.push(`part ${i + 1}`);
      }
    }
    return parts.join(', ');
  } finally {
    // Runs whether the report finished or the client went away (an async cleanup would work too).
    state.cleanedUp = true;
  }
}

/** Parses `?steps=&ms=` from the request URL. */
function params(req: IncomingMessage): { steps: number; ms: number } {
  const u = new URL(req.url ?? '/', 'http://localhost');
  return { steps: Number(u.searchParams.get('steps') ?? 3), ms: Number(u.searchParams.get('ms') ?? 100) };
}

/**
 * A node:http server whose handler runs `buildReport` on `rt`, tied to the client connection.
 * `onEvent` hears how each request ended.
 */
export function createReportServer(rt: Runtime, upstream: string | null, onEvent: (e: RequestEvent) => void = () => {}): Server {
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    const ctrl = new AbortController();
    // 'close' before the response finished: the client disconnected.
    res.on('close', () => {
      if (!res.writableFinished) ctrl.abort();
    });
    const { steps, ms } = params(req);
    const state = { cleanedUp: false };
    const url = req.url ?? '/';
    rt.blockOnWith({ signal: ctrl.signal, name: `GET ${url}` }, buildReport, steps, ms, upstream, state).then(
      (body) => {
        res.end(`${body}\n`);
        onEvent({ url, outcome: 'answered', cleanedUp: state.cleanedUp });
      },
      (e: unknown) => {
        if (e instanceof JoinError && e.isCancelled() && ctrl.signal.aborted) {
          onEvent({ url, outcome: 'stopped: client gone', cleanedUp: state.cleanedUp });
          return;
        }
        if (!res.headersSent) res.writeHead(500);
        res.end(`error: ${String(e)}\n`);
        onEvent({ url, outcome: 'failed', cleanedUp: state.cleanedUp });
      },
    );
  });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rt = new Runtime();
  const server = createReportServer(rt, null, (e) => console.log(`${e.url}: ${e.outcome}`));
  server.listen(Number(process.argv[2] ?? 8082), '127.0.0.1', () => {
    console.log(`listening on http://127.0.0.1:${(server.address() as { port: number }).port}/report`);
  });
  process.once('SIGINT', () => {
    server.close();
    void rt.shutdown({ timeoutMs: 2_000 });
  });
}
