/**
 * A small program with the console on, used by the browser and terminal UI tests (and runnable
 * by hand: `node dist/test/console/demo_app.js [port]`). It has healthy tasks (a server-like
 * accept loop, clients waiting for a drain, a ticker) and, on purpose, one of each problem the
 * lints catch.
 */
import { Future, Pending, Runtime, future, spawn, trackResource, yieldNow, consoleOf, reportSendWithoutReceivers, type Context, type Poll, type ResourceInfo, type Waker } from '../../src/index.js';

/** A timer future (the demo's own; kyoto's time module has the real one). */
export class DemoSleep extends Future<void> {
  private timer: NodeJS.Timeout | null = null;
  private fired = false;
  private waker: Waker | null = null;
  constructor(readonly ms: number) {
    super();
  }
  poll(cx: Context): Poll<void> {
    if (this.fired) return undefined;
    const w = cx.waker;
    if (this.waker === null || !this.waker.willWake(w)) this.waker = w.clone();
    if (this.timer === null) {
      this.timer = setTimeout(() => {
        this.fired = true;
        this.timer = null;
        this.waker?.wake();
      }, this.ms);
    }
    return Pending;
  }
  override drop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
  traceLabel(): string {
    return `sleep(${this.ms} ms)`;
  }
}

/** A future woken by nobody but `release()`: stands for a socket waiting for an event. */
export class Parked extends Future<void> {
  private waker: Waker | null = null;
  private done = false;
  constructor(
    readonly label: string,
    readonly reason: string,
  ) {
    super();
  }
  poll(cx: Context): Poll<void> {
    if (this.done) return undefined;
    this.waker = cx.waker.clone();
    return Pending;
  }
  release(): void {
    this.done = true;
    this.waker?.wake();
  }
  traceLabel(): string {
    return this.label;
  }
  traceReason(): string {
    return this.reason;
  }
}

/** A broken future: Pending without touching the waker (the lost-waker lint). */
export class ForgetfulFuture extends Future<void> {
  poll(_cx: Context): Poll<void> {
    return Pending;
  }
}

/** A queue listed in the resources view. */
export class DemoQueue {
  items = 0;
  receivers = 1;
  constructor(readonly label: string) {
    trackResource(this);
  }
  resourceInfo(): ResourceInfo {
    return { kind: 'mpsc', label: this.label, waiters: 1, details: { queued: this.items, receivers: this.receivers } };
  }
  send(): void {
    if (this.receivers === 0) reportSendWithoutReceivers(this, 'mpsc', this.label);
    else this.items++;
  }
}

function* writeAll(bytes: number) {
  yield* new Parked('TcpStream.write', `drain of ${bytes} bytes`);
}

function* handleClient(id: number) {
  yield* yieldNow();
  yield* future(writeAll, id * 1024);
}

function* acceptLoop() {
  yield* new Parked('TcpListener.accept', 'a connection');
}

function* ticker(ms: number) {
  for (;;) yield* new DemoSleep(ms);
}

function* spinner() {
  for (;;) {
    for (let i = 0; i < 5; i++) yield* yieldNow();
    yield* new DemoSleep(100);
  }
}

function* hashPasswords() {
  for (;;) {
    const t = performance.now();
    while (performance.now() - t < 25) {
      /* CPU work in a poll: the blocking-poll lint */
    }
    yield* new DemoSleep(400);
  }
}

function* waitForever() {
  yield* new ForgetfulFuture();
}

function* loadConfig(): Generator<Future<unknown>, void, unknown> {
  yield* yieldNow();
  throw new Error('config file missing');
}

function* producer(q: DemoQueue) {
  for (;;) {
    q.send();
    yield* new DemoSleep(150);
  }
}

/** Starts the demo on `port` (0: any); resolves with the runtime and the console URL. */
export async function startDemo(port = 0): Promise<{ rt: Runtime; url: string; port: number; stop: () => Promise<void> }> {
  const rt = new Runtime({ console: { port }, name: 'demo', onUnhandledTaskError: quiet });
  const url = await consoleOf(rt)!.ready;
  rt.spawn(acceptLoop);
  for (let i = 1; i <= 3; i++) rt.spawn(handleClient, i);
  rt.spawn(ticker, 20);
  rt.spawn(spinner);
  rt.spawn(hashPasswords);
  rt.spawn(waitForever);
  rt.spawn(loadConfig);
  const q = new DemoQueue('jobs');
  q.receivers = 0;
  rt.spawn(producer, q);
  // Let every lint show up once (blocking poll, self-wakes, failure report, channel sends).
  await new Promise((r) => setTimeout(r, 450));
  return {
    rt,
    url,
    port: consoleOf(rt)!.port,
    stop: () => rt.shutdown(),
  };
}

void spawn; // (spawn is the in-task form; the demo spawns from outside with rt.spawn)

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].split('/').pop()!) && process.argv[1].includes('demo_app')) {
  const d = await startDemo(Number(process.argv[2] ?? 6669));
  console.log(`kyoto console demo at ${d.url}`);
  setInterval(() => {}, 1 << 30);
}

function quiet(): void {
  /* the demo's failing task is reported by the console's lint instead */
}
