// toNodeHandler(...).upgrade on node's upgrade event: 101 and the socket as a TcpStream (bytes
// after the head included), a refusal written and closed, errors, and a client that leaves
// before the upgrade aborting the task.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Runtime, fromIterable, sleep, type Gen } from '../../src/index.js';
import { Response, UpgradeUnavailableError, toNodeHandler, type HttpRequest } from '../../src/http/index.js';
import { abortProbe, closed, echoUpperUntilDot, rawConnect, rawExchange } from './helpers.js';

const UPGRADE = 'GET /ws HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n';

/** Upper-cases what it reads on the upgraded stream until a '.', then closes it. */
function* echoUpper(req: HttpRequest): Gen<Response> {
  if (req.path === '/refuse') return new Response('upgrade refused', { status: 426, headers: { 'x-why': 'test' } });
  if (req.path === '/refuse-stream') return new Response(fromIterable([Buffer.from('part1 '), Buffer.from('part2')]), { status: 403 });
  if (req.path === '/boom') throw new Error('boom before upgrade');
  if (req.path === '/nothing') return 42 as unknown as Response;
  if (req.path === '/late') yield* sleep(30); // the client's next bytes arrive before the 101
  const s = yield* req.upgrade({ upgrade: 'echo', connection: 'Upgrade' });
  if (req.path === '/boom-after') {
    s.close();
    throw new Error('boom after upgrade');
  }
  yield* echoUpperUntilDot(s);
  return new Response(null);
}

async function withServer(
  handler: (req: HttpRequest) => Gen<Response>,
  body: (port: number, reported: unknown[]) => Promise<void>,
  upgrade = true,
): Promise<void> {
  const reported: unknown[] = [];
  const rt = new Runtime({ onUnhandledTaskError: (e) => reported.push(e) });
  const h = toNodeHandler(handler, { runtime: rt });
  const server = http.createServer(h);
  if (upgrade) server.on('upgrade', h.upgrade);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    await body((server.address() as AddressInfo).port, reported);
  } finally {
    server.close();
    server.closeAllConnections();
    await rt.shutdown();
  }
}

test('upgrade: 101 with the handler headers, then the handler owns the socket, bytes after the head included', async () => {
  await withServer(echoUpper, async (port) => {
    const out = await rawExchange(port, `${UPGRADE}hello.`);
    assert.match(out, /^HTTP\/1\.1 101 Switching Protocols\r\nupgrade: echo\r\nconnection: Upgrade\r\n\r\n/);
    assert.ok(out.endsWith('HELLO.'), out);
  });
});

test('upgrade: bytes sent after the 101 reach the handler in order', async () => {
  await withServer(echoUpper, async (port) => {
    const s = await rawConnect(port);
    let got = '';
    s.on('data', (d: Buffer) => (got += d.toString('latin1')));
    s.write(UPGRADE);
    while (!got.includes('\r\n\r\n')) await new Promise((r) => setTimeout(r, 5));
    for (const part of ['ab', 'cd', 'e.']) s.write(part);
    await closed(s);
    assert.ok(got.endsWith('ABCDE.'), got);
  });
});

test('upgrade: bytes the client sends while the handler has not yet upgraded come first, in order', async () => {
  await withServer(echoUpper, async (port) => {
    const s = await rawConnect(port);
    let got = '';
    s.on('data', (d: Buffer) => (got += d.toString('latin1')));
    s.write(UPGRADE.replace('/ws', '/late') + 'ab');
    await new Promise((r) => setTimeout(r, 5));
    s.write('cd.');
    await closed(s);
    assert.match(got, /^HTTP\/1\.1 101 /);
    assert.ok(got.endsWith('\r\n\r\nABCD.'), got);
  });
});

test('upgrade refused: the returned response is written with Connection: close and the socket ends', async () => {
  await withServer(echoUpper, async (port) => {
    const fixed = await rawExchange(port, UPGRADE.replace('/ws', '/refuse'));
    assert.match(fixed, /^HTTP\/1\.1 426 Upgrade Required\r\n/);
    assert.match(fixed, /\r\nx-why: test\r\n/);
    assert.match(fixed, /\r\nConnection: close\r\n/);
    assert.ok(fixed.endsWith('\r\n\r\nupgrade refused'), fixed);
    const streamed = await rawExchange(port, UPGRADE.replace('/ws', '/refuse-stream'));
    assert.match(streamed, /^HTTP\/1\.1 403 Forbidden\r\n/);
    assert.ok(streamed.endsWith('\r\n\r\npart1 part2'), streamed);
    assert.doesNotMatch(streamed, /content-length/i, 'a streamed refusal is close-delimited');
  });
});

test('upgrade: a handler that throws, or returns no Response, gives a reported 500', async () => {
  await withServer(echoUpper, async (port, reported) => {
    assert.match(await rawExchange(port, UPGRADE.replace('/ws', '/boom')), /^HTTP\/1\.1 500 /);
    assert.match(await rawExchange(port, UPGRADE.replace('/ws', '/nothing')), /^HTTP\/1\.1 500 /);
    assert.equal(reported.length, 2);
    assert.equal((reported[0] as Error).message, 'boom before upgrade');
    assert.match((reported[1] as Error).message, /returned number, expected a Response or req\.upgrade\(\)/);
  });
});

test('upgrade: a handler that fails after upgrading is reported, and nothing more is written', async () => {
  await withServer(echoUpper, async (port, reported) => {
    const out = await rawExchange(port, UPGRADE.replace('/ws', '/boom-after'));
    assert.match(out, /^HTTP\/1\.1 101 Switching Protocols\r\n[^]*\r\n\r\n$/, 'the 101 head and nothing after it');
    for (let i = 0; i < 100 && reported.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    assert.equal(reported.length, 1);
    assert.equal((reported[0] as Error).message, 'boom after upgrade');
  });
});

test('upgrade: a client that leaves before the upgrade aborts the task (finally runs, signal aborts)', async () => {
  const { h, events, inHandler, finished } = abortProbe();
  await withServer(h, async (port) => {
    const s = await rawConnect(port);
    s.write(UPGRADE);
    await inHandler;
    s.destroy();
    await finished;
    assert.deepEqual(events.sort(), ['finally', 'signal']);
  });
});

test('req.upgrade() from the request event throws UpgradeUnavailableError naming the upgrade listener', async () => {
  function* h(req: HttpRequest): Gen<Response> {
    try {
      yield* req.upgrade({ upgrade: 'echo' });
      return new Response('upgraded?');
    } catch (e) {
      assert.ok(e instanceof UpgradeUnavailableError);
      return new Response(e.message, { status: 501 });
    }
  }
  await withServer(
    h,
    async (port) => {
      const out = await rawExchange(port, UPGRADE.replace('Host: t\r\n', 'Host: t\r\nConnection: close\r\n'));
      assert.match(out, /^HTTP\/1\.1 501 /);
      assert.match(out, /server\.on\('upgrade', handler\.upgrade\)/);
    },
    false,
  );
});
