/**
 * `npm start` (net demo): starts the echo server (or the chat server) and runs a built-in load
 * against it in the same runtime, then prints throughput, latency percentiles and the runtime
 * metrics (the io* figures come from the I/O driver).
 *
 *   node dist/examples/net_demo.js [echo|chat] [--conns 100] [--seconds 2] [--messages 50]
 */
import {
  Barrier,
  BufReader,
  CancellationToken,
  Histogram,
  Runtime,
  TcpListener,
  TcpStream,
  spawn,
  type JoinHandle,
} from '../src/index.js';
import { echoServer } from './echo_server.js';
import { chatServer } from './chat_server.js';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : dflt;
  if (!Number.isFinite(v) || v <= 0) throw new RangeError(`--${name} must be a positive number, got ${process.argv[i + 1]}`);
  return v;
}

/** One echo client: 64-byte ping-pong until `until` (performance.now() ms). */
function* pinger(addr: string, until: number, hist: Histogram) {
  const s = yield* TcpStream.connect(addr);
  s.setNoDelay(true);
  const ping = Buffer.alloc(64, 0x2a);
  const pong = Buffer.alloc(64);
  let n = 0;
  try {
    while (performance.now() < until) {
      const t0 = performance.now();
      yield* s.writeAll(ping);
      yield* s.readExact(pong);
      hist.record(performance.now() - t0);
      n++;
    }
    return n;
  } finally {
    s.close();
  }
}

function* echoDemo(conns: number, seconds: number) {
  const listener = yield* TcpListener.bind('127.0.0.1:0');
  const server = spawn(echoServer, listener, true);
  const addr = listener.localAddr().toString();
  console.log(`echo server on ${addr}; ${conns} client task(s) doing 64-byte ping-pong for ${seconds} s`);
  const hist = new Histogram();
  const t0 = performance.now();
  const until = t0 + seconds * 1000;
  const hs: JoinHandle<number>[] = [];
  for (let i = 0; i < conns; i++) hs.push(spawn(pinger, addr, until, hist));
  let total = 0;
  for (const h of hs) total += yield* h;
  const secs = (performance.now() - t0) / 1000;
  server.abort();
  listener.close();
  console.log(`round trips: ${total} in ${secs.toFixed(2)} s = ${Math.round(total / secs).toLocaleString('en-US')} /s`);
  console.log(`latency ms: p50 ${hist.percentile(50).toFixed(3)}  p99 ${hist.percentile(99).toFixed(3)}  max ${hist.max.toFixed(3)}`);
}

/** One chat client: sends `messages` lines, reads until it saw everyone else's. */
function* chatter(addr: string, id: number, conns: number, messages: number, hist: Histogram, ready: Barrier) {
  const s = yield* TcpStream.connect(addr);
  const rd = new BufReader(s);
  yield* rd.readLine(); // welcome: this client is subscribed now
  yield* ready.wait(); // everyone is, so nobody misses a message
  const expect = (conns - 1) * messages;
  let seen = 0;
  for (let i = 0; i < messages; i++) yield* s.writeAll(Buffer.from(`${id} ${performance.now()}\n`));
  while (seen < expect) {
    const line = yield* rd.readLine();
    if (line === null) break;
    const m = /^\[[^\]]+\] (\d+) ([\d.]+)$/.exec(line);
    if (m === null) {
      const missed = /^\(missed (\d+) messages\)$/.exec(line);
      if (missed !== null) seen += Number(missed[1]); // fell behind the broadcast capacity
      continue; // joins and leaves
    }
    seen++;
    hist.record(performance.now() - Number(m[2]));
  }
  s.close();
  return seen;
}

function* chatDemo(conns: number, messages: number) {
  const listener = yield* TcpListener.bind('127.0.0.1:0');
  const addr = listener.localAddr().toString();
  const stop = new CancellationToken();
  const server = spawn(chatServer, listener, stop.cancelled(), 4096);
  const ready = new Barrier(conns);
  console.log(`chat server on ${addr}; ${conns} clients each send ${messages} lines to everyone`);
  const hist = new Histogram();
  const t0 = performance.now();
  const hs: JoinHandle<number>[] = [];
  for (let i = 0; i < conns; i++) hs.push(spawn(chatter, addr, i, conns, messages, hist, ready));
  let delivered = 0;
  for (const h of hs) delivered += yield* h;
  const secs = (performance.now() - t0) / 1000;
  stop.cancel();
  const served = yield* server;
  console.log(`delivered ${delivered} messages (${served} clients) in ${secs.toFixed(2)} s = ${Math.round(delivered / secs).toLocaleString('en-US')} /s`);
  console.log(`delivery latency ms: p50 ${hist.percentile(50).toFixed(3)}  p99 ${hist.percentile(99).toFixed(3)}  max ${hist.max.toFixed(3)}`);
}

const mode = process.argv[2] === 'chat' ? 'chat' : 'echo';
const rt = new Runtime();
if (mode === 'echo') await rt.blockOn(echoDemo, arg('conns', 100), arg('seconds', 2));
else await rt.blockOn(chatDemo, arg('conns', 20), arg('messages', 50));
const m = rt.metrics();
console.log('runtime metrics:');
for (const [k, v] of Object.entries(m)) {
  if (typeof v === 'number' && (k.startsWith('io') || /^(spawnedTasksCount|workerPollCount|workerParkCount|budgetForcedYieldCount|workerMeanPollTime|workerTotalBusyDuration|remoteScheduleCount)$/.test(k))) {
    console.log(`  ${k.padEnd(26)} ${Number.isInteger(v) ? v : v.toFixed(4)}`);
  }
}
console.log(`  poll time p50/p99 (ms)    ${m.pollTimeHistogram.p50.toFixed(4)} / ${m.pollTimeHistogram.p99.toFixed(4)}`);
await rt.shutdown();
