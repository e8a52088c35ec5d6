/**
 * The adapters on kyoto's TcpListener, BufReader and signal.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BufReader, TcpListener, TcpStream, fromSignal, incoming, lines, run, signal, sleep, spawn, type JoinHandle } from '../../src/index.js';

/** Reads every line of one connection and answers with how many it got. */
function* serveLines(conn: TcpStream) {
  const got = yield* lines(new BufReader(conn)).collect();
  yield* conn.writeAll(Buffer.from(`${got.length}:${got.join(',')}\n`));
  yield* conn.shutdown();
  return got;
}

function* client(port: number, text: string) {
  const conn = yield* TcpStream.connect(`127.0.0.1:${port}`);
  yield* conn.writeAll(Buffer.from(text));
  yield* conn.shutdown();
  const reply = yield* lines(new BufReader(conn)).collect();
  return reply;
}

test('incoming + lines: a line server over TcpListener, ended by take()', async () => {
  const out = await run(function* () {
    const listener = yield* TcpListener.bind('127.0.0.1:0');
    const port = listener.localAddr().port;
    const clients: JoinHandle<string[]>[] = [
      spawn(client, port, 'a\nb\n'),
      spawn(client, port, 'c\r\nd\ne\n'),
    ];
    // Two connections, served concurrently; take(2) then drops the stream, closing the listener.
    yield* incoming(listener).take(2).forEachConcurrent(2, serveLines);
    const replies: string[][] = [];
    for (const c of clients) replies.push(yield* c);
    let closed = false;
    try {
      yield* listener.accept();
    } catch (e) {
      closed = (e as { code?: string }).code === 'CLOSED';
    }
    return { replies: replies.map((r) => r.join('|')).sort(), closed };
  });
  assert.deepEqual(out.replies, ['2:a,b', '3:c,d,e']);
  assert.equal(out.closed, true, 'dropping the incoming stream closed the listener');
});

function* raise(name: NodeJS.Signals, times: number) {
  for (let i = 0; i < times; i++) process.kill(process.pid, name);
}

/**
 * Holds a timer so the runtime's deadlock check does not fire while the signal travels through
 * libuv (a pending signal registration alone is not counted as a wake source).
 */
function* keepAlive() {
  yield* sleep(60_000);
}

test('fromSignal: arrivals of SIGUSR2 as a stream', async () => {
  const n = await run(function* () {
    const s = fromSignal(signal('SIGUSR2'));
    const guard = spawn(keepAlive);
    spawn(raise, 'SIGUSR2', 1);
    const first = yield* s.next();
    s.drop();
    guard.abort();
    return first;
  });
  assert.ok(typeof n === 'number' && n >= 1);
});
