import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn as spawnChild, execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type * as net from 'node:net';
import { BufReader, TcpListener, TcpStream, ctrlC, fromPromise, run, spawn, type JoinHandle } from '../../src/index.js';
import { echoServer } from '../../examples/echo_server.js';
import { chatServer } from '../../examples/chat_server.js';
import { proxyServer } from '../../examples/tcp_proxy.js';
import { kvServer } from '../../examples/kv_server.js';
import { rawConnect, rawReadAll } from './helpers.js';

const examples = join(dirname(fileURLToPath(import.meta.url)), '../../examples');

function* talk(addr: string, msg: string) {
  const s = yield* TcpStream.connect(addr);
  yield* s.writeAll(Buffer.from(msg));
  yield* s.shutdown();
  const parts: Buffer[] = [];
  for (let c = yield* s.readChunk(); c !== null; c = yield* s.readChunk()) parts.push(c);
  s.close();
  return Buffer.concat(parts).toString();
}

for (const zeroCopy of [false, true]) {
  test(`echo server (${zeroCopy ? 'zero-copy' : "seeds' read/writeAll"} handler) serves many clients; a reset client hurts nobody`, async () => {
    await run(function* () {
      const l = yield* TcpListener.bind('127.0.0.1:0');
      const server = spawn(echoServer, l, zeroCopy);
      const addr = l.localAddr().toString();
      const bad = yield* fromPromise(rawConnect(l.localAddr().port));
      bad.write('partial');
      bad.resetAndDestroy();
      const hs: JoinHandle<string>[] = [];
      for (let i = 0; i < 20; i++) hs.push(spawn(talk, addr, `message ${i} `.repeat(200)));
      for (let i = 0; i < 20; i++) assert.equal(yield* hs[i]!, `message ${i} `.repeat(200));
      server.abort();
      l.close();
    });
  });
}

function* chatUser(addr: string) {
  const s = yield* TcpStream.connect(addr);
  const rd = new BufReader(s);
  const welcome = yield* rd.readLine();
  return { s, rd, welcome };
}

function* linesUntilEof(rd: BufReader) {
  const out: string[] = [];
  for (let l = yield* rd.readLine(); l !== null; l = yield* rd.readLine()) out.push(l);
  return out;
}

function* untilLine(rd: BufReader, re: RegExp) {
  for (let l = yield* rd.readLine(); l !== null; l = yield* rd.readLine()) if (re.test(l)) return l;
  return null;
}

test('chat server: lines are broadcast to the others; SIGINT closes every connection gracefully', async () => {
  const served = await run(function* () {
    const l = yield* TcpListener.bind('127.0.0.1:0');
    const addr = l.localAddr().toString();
    const server = spawn(chatServer, l, ctrlC());
    const a = yield* chatUser(addr);
    const b = yield* chatUser(addr);
    const c = yield* chatUser(addr);
    assert.match(a.welcome ?? '', /^welcome 127\.0\.0\.1:\d+$/);
    // Wait until c's join reached a, so all three are subscribed.
    yield* untilLine(a.rd, new RegExp(`${c.s.localAddr().port} joined`));
    yield* a.s.writeAll(Buffer.from('hello all\n'));
    const meA = `127.0.0.1:${a.s.localAddr().port}`;
    assert.equal(yield* untilLine(b.rd, /hello all/), `[${meA}] hello all`);
    assert.equal(yield* untilLine(c.rd, /hello all/), `[${meA}] hello all`);
    process.kill(process.pid, 'SIGINT'); // Ctrl-C
    for (const u of [a, b, c]) {
      const rest = yield* linesUntilEof(u.rd); // EOF: the server closed the connection
      assert.equal(rest.at(-1), 'server shutting down');
      u.s.close();
    }
    return yield* server;
  });
  assert.equal(served, 3);
});

test('chat server as a process: Ctrl-C (SIGINT) ends every client and the process exits 0', async () => {
  const child = spawnChild(process.execPath, [join(examples, 'chat_server.js'), '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const port = await new Promise<number>((resolve) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on 127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
  });
  const clients: net.Socket[] = [];
  const ends: Promise<Buffer>[] = [];
  for (let i = 0; i < 2; i++) {
    const s = await rawConnect(port);
    ends.push(rawReadAll(s));
    clients.push(s);
  }
  await new Promise((r) => setTimeout(r, 50));
  clients[0]!.write('bye from 0\n');
  await new Promise((r) => setTimeout(r, 50));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGINT');
  const [t0, t1] = (await Promise.all(ends)).map((b) => b.toString());
  assert.match(t0!, /server shutting down\n$/);
  assert.match(t1!, /bye from 0/);
  assert.match(t1!, /server shutting down\n$/);
  assert.equal(await exited, 0);
  assert.match(out, /stopped after serving 2 client/);
});

test('tcp proxy forwards to an upstream echo server with copyBidirectional', async () => {
  await run(function* () {
    const up = yield* TcpListener.bind('127.0.0.1:0');
    const echo = spawn(echoServer, up, true);
    const front = yield* TcpListener.bind('127.0.0.1:0');
    const proxy = spawn(proxyServer, front, up.localAddr().toString());
    const big = 'x'.repeat(300_000);
    assert.equal(yield* talk(front.localAddr().toString(), big), big);
    assert.equal(yield* talk(front.localAddr().toString(), 'second client'), 'second client');
    proxy.abort();
    echo.abort();
    front.close();
    up.close();
  });
});

test('kv server: SET/GET/DEL over the line protocol, and the per-connection idle timeout', async () => {
  await run(function* () {
    const l = yield* TcpListener.bind('127.0.0.1:0');
    const server = spawn(kvServer, l, 200);
    const addr = l.localAddr().toString();
    const reply = yield* talk(addr, 'SET greeting hello world\nGET greeting\nGET nope\nDEL greeting\nDEL greeting\nFROB x\nSET\nQUIT\nGET never\n');
    assert.equal(reply, 'OK\nhello world\nNIL\n1\n0\nERR unknown command "FROB"\nERR usage: SET key value\nBYE\n');
    // A silent client is told and disconnected; a partial line does not count as activity.
    const s = yield* TcpStream.connect(addr);
    yield* s.writeAll(Buffer.from('GET gree'));
    const rd = new BufReader(s);
    assert.equal(yield* rd.readLine(), 'ERR idle timeout');
    assert.equal(yield* rd.readLine(), null);
    s.close();
    server.abort();
    l.close();
  });
});

test('net demo runs the echo and chat load and prints throughput, latency and metrics', async () => {
  const run1 = await promisify(execFile)(process.execPath, [join(examples, 'net_demo.js'), 'echo', '--conns', '5', '--seconds', '0.3']);
  assert.match(run1.stdout, /round trips: \d+/);
  assert.match(run1.stdout, /latency ms: p50 [\d.]+ {2}p99 [\d.]+/);
  assert.match(run1.stdout, /ioTcpAccepted\s+5/);
  const run2 = await promisify(execFile)(process.execPath, [join(examples, 'net_demo.js'), 'chat', '--conns', '3', '--messages', '4']);
  assert.match(run2.stdout, /delivered 24 messages \(3 clients\)/);
  assert.match(run2.stdout, /runtime metrics:/);
});
