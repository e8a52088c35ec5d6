/**
 * The console's HTTP server: the web UI, a JSON API and a Server-Sent Events stream of the
 * runtime's state (one update every `intervalMs`, 250 ms at the fastest).
 *
 * Routes: `GET /` (web UI), `/app.js`, `/api/state`, `/api/events` (SSE, `event: state`),
 * `/api/tasks/:id`, `/api/lints`, `/api/dump` (text). The server, its sockets and its timer are
 * unref'd: the console never keeps a process alive, nor hides a deadlock from `blockOn`.
 *
 * Backpressure (test/console/sse_backpressure.test.ts): each frame is a whole snapshot, so a
 * client whose socket has not drained the previous frame is simply skipped (frames coalesce: it
 * gets the newest state once it drains), and a client whose buffer exceeds `maxBufferedBytes`, or
 * that stays undrained for `stallTicks` updates in a row, is closed. What one slow or stalled
 * client holds is therefore bounded by about one frame plus `maxBufferedBytes`.
 * Why these numbers: 4 MiB is several frames of a 1,000-task runtime; 40 updates is 10 s at the
 * fastest interval, long enough for a browser tab that is briefly busy.
 * @module
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Runtime } from '../runtime/runtime.js';
import { isLoopback, type ResolvedConsoleOptions } from './config.js';
import { consoleState, lintsOf, taskDetail } from './state.js';
import { formatDump } from './dump.js';
import { PAGE_HTML } from './ui/page.js';
import { APP_JS } from './ui/app.js';

/** One event-stream subscriber and its flow state. */
interface Client {
  readonly res: ServerResponse;
  /** The last write did not drain yet: frames are skipped until it does. */
  blocked: boolean;
  /** Updates skipped in a row while blocked. */
  skipped: number;
}

/** @internal Per-client limits of the event stream (see the module comment). */
export interface SseLimits {
  maxBufferedBytes: number;
  stallTicks: number;
}

/** @internal */
export class ConsoleServer {
  private readonly server: Server;
  private readonly clients = new Map<ServerResponse, Client>();
  /** Per-client limits (tests lower them). */
  readonly limits: SseLimits = { maxBufferedBytes: 4 * 1024 * 1024, stallTicks: 40 };
  /** Frames not sent to a client because it had not drained the previous one. */
  framesSkipped = 0;
  /** Clients closed for being too slow. */
  clientsClosed = 0;
  private timer: NodeJS.Timeout | null = null;
  private port = 0;
  private closed = false;
  /** Updates sent (all clients count once per tick). */
  ticks = 0;

  constructor(
    readonly rt: Runtime,
    readonly opts: ResolvedConsoleOptions,
  ) {
    this.server = createServer((req, res) => this.handle(req, res));
    this.server.on('connection', (s) => s.unref());
  }

  /** Starts listening; resolves with the bound port. */
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (e: Error): void => reject(e);
      this.server.once('error', onError);
      this.server.listen(this.opts.port, this.opts.host, () => {
        this.server.off('error', onError);
        this.server.on('error', (e) => console.error('kyoto console: server error:', e));
        this.server.unref();
        this.port = (this.server.address() as AddressInfo).port;
        resolve(this.port);
      });
    });
  }

  /** Bound port (0 before listening). */
  get boundPort(): number {
    return this.port;
  }

  /** Number of connected event-stream clients. */
  get clientCount(): number {
    return this.clients.size;
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    this.stopTimer();
    for (const c of this.clients.keys()) c.end();
    this.clients.clear();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections?.();
    });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    try {
      this.route(req, res);
    } catch (e) {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`kyoto console: ${e instanceof Error ? e.message : String(e)}\n`);
    }
  }

  private route(req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'only GET is supported\n');
    // DNS-rebinding guard: a loopback console only answers requests addressed to loopback.
    if (isLoopback(this.opts.host) && !hostIsLoopback(req.headers.host)) {
      return send(res, 403, 'text/plain', 'the kyoto console answers only to loopback host names\n');
    }
    const url = new URL(req.url ?? '/', 'http://console');
    const path = url.pathname;
    if (path === '/' || path === '/index.html') return send(res, 200, 'text/html', PAGE_HTML);
    if (path === '/app.js') return send(res, 200, 'text/javascript', APP_JS);
    if (path === '/api/state') return sendJson(res, consoleState(this.rt, this.opts.maxTasks));
    if (path === '/api/lints') return sendJson(res, lintsOf(this.rt));
    if (path === '/api/dump') return send(res, 200, 'text/plain', `${formatDump(this.rt)}\n`);
    if (path === '/api/events') return this.subscribe(req, res);
    const m = /^\/api\/tasks\/(\d+)$/.exec(path);
    if (m !== null) {
      const d = taskDetail(this.rt, Number(m[1]));
      if (d === null) return send(res, 404, 'application/json', JSON.stringify({ error: `no live task with id ${m[1]}` }));
      return sendJson(res, d);
    }
    send(res, 404, 'text/plain', `no such console route: ${path}\n`);
  }

  private subscribe(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    res.write(`retry: 1000\n\n`);
    const client: Client = { res, blocked: false, skipped: 0 };
    this.clients.set(res, client);
    req.on('close', () => {
      this.clients.delete(res);
      if (this.clients.size === 0) this.stopTimer();
    });
    res.on('drain', () => {
      client.blocked = false;
      client.skipped = 0;
    });
    this.send(client, this.frame());
    if (this.timer === null) {
      this.timer = setInterval(() => this.tick(), this.opts.intervalMs);
      this.timer.unref();
    }
  }

  /** Writes a frame to a client that keeps up; skips or closes one that does not. */
  private send(c: Client, data: string): void {
    const res = c.res;
    if (c.blocked) {
      this.framesSkipped++;
      if (++c.skipped >= this.limits.stallTicks || res.writableLength > this.limits.maxBufferedBytes) this.drop(c);
      return;
    }
    if (!res.write(data)) c.blocked = true;
    if (res.writableLength > this.limits.maxBufferedBytes) this.drop(c);
  }

  private drop(c: Client): void {
    this.clientsClosed++;
    this.clients.delete(c.res);
    c.res.destroy();
    if (this.clients.size === 0) this.stopTimer();
  }

  private frame(): string {
    return `event: state\ndata: ${JSON.stringify(consoleState(this.rt, this.opts.maxTasks))}\n\n`;
  }

  private tick(): void {
    if (this.clients.size === 0) return this.stopTimer();
    this.ticks++;
    let data: string;
    try {
      data = this.frame();
    } catch (e) {
      data = `event: error\ndata: ${JSON.stringify(String(e))}\n\n`;
    }
    for (const c of [...this.clients.values()]) this.send(c, data);
  }

  private stopTimer(): void {
    if (this.timer !== null) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }
}

function hostIsLoopback(h: string | undefined): boolean {
  if (h === undefined) return true;
  const host = h.startsWith('[') ? h.slice(1, h.indexOf(']')) : h.replace(/:\d+$/, '');
  return isLoopback(host);
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' });
  res.end(body);
}

function sendJson(res: ServerResponse, v: unknown): void {
  send(res, 200, 'application/json', JSON.stringify(v));
}
