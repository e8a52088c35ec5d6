import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BufReader, Runtime, TaskTracker, TcpListener, TcpStream, oneshot, run, sleep, spawn } from '../../src/index.js';
import { createReportServer, type RequestEvent } from '../../examples/express_style.js';
import { chatServer } from '../../examples/chat_server.js';

async function listen(server: ReturnType<typeof createServer>): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

function get(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.end();
  });
}

test('examples/express_style: a request that completes is answered by the kyoto work', async () => {
  const rt = new Runtime();
  const events: RequestEvent[] = [];
  const server = createReportServer(rt, null, (e) => events.push(e));
  const port = await listen(server);
  assert.equal(await get(port, '/report?steps=3&ms=1'), 'part 1, part 2, part 3\n');
  assert.deepEqual(events, [{ url: '/report?steps=3&ms=1', outcome: 'answered', cleanedUp: true }]);
  await new Promise<void>((r) => server.close(() => r()));
  await rt.shutdown();
});

test('examples/express_style: a client that disconnects stops the kyoto work and the upstream fetch', async () => {
  // Upstream: records its requests and never answers; resolves when the fetch to it is aborted.
  let upstreamSeen!: () => void;
  const seen = new Promise<void>((r) => (upstreamSeen = r));
  let upstreamAborted!: () => void;
  const aborted = new Promise<void>((r) => (upstreamAborted = r));
  const upstream = createServer((req, res) => {
    upstreamSeen();
    res.on('close', () => {
      if (!res.writableFinished) upstreamAborted();
    });
    req.resume();
  });
  const upPort = await listen(upstream);

  const rt = new Runtime();
  let stopped!: (e: RequestEvent) => void;
  const event = new Promise<RequestEvent>((r) => (stopped = r));
  const server = createReportServer(rt, `http://127.0.0.1:${upPort}/slow`, stopped);
  const port = await listen(server);
  const client = request({ host: '127.0.0.1', port, path: '/report?steps=1' });
  client.on('error', () => {}); // we hang up on purpose
  client.end();
  await seen; // the kyoto task is now waiting on the upstream
  client.destroy(); // the client disconnects
  assert.deepEqual(await event, { url: '/report?steps=1', outcome: 'stopped: client gone', cleanedUp: true });
  await aborted; // and the upstream request was aborted, not left running
  assert.equal(rt.tasks().length, 0);
  server.closeAllConnections();
  upstream.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  await new Promise<void>((r) => upstream.close(() => r()));
  await rt.shutdown();
});

test('examples/chat_server: clients that left are not retained; shutdown still waits for connected ones', async () => {
  await run(function* main() {
    const l = yield* TcpListener.bind('127.0.0.1:0');
    const addr = l.localAddr().toString();
    const tracker = new TaskTracker();
    const [stopTx, stopRx] = oneshot<void>();
    const server = spawn(chatServer, l, stopRx.recv(), 256, tracker);
    for (let i = 0; i < 20; i++) {
      const s = yield* TcpStream.connect(addr);
      const rd = new BufReader(s);
      yield* rd.readLine(); // welcome
      s.close(); // leaves
    }
    const stay = yield* TcpStream.connect(addr);
    const rd = new BufReader(stay);
    yield* rd.readLine();
    // The 20 finished clients drain away; only the connected one stays tracked.
    while (tracker.len > 1) yield* sleep(1);
    assert.equal(tracker.len, 1);
    stopTx.send();
    let last: string | null = null;
    for (let line = yield* rd.readLine(); line !== null; line = yield* rd.readLine()) last = line;
    assert.equal(last, 'server shutting down');
    assert.equal(yield* server, 21);
    assert.equal(tracker.len, 0);
    stay.close();
  });
});
