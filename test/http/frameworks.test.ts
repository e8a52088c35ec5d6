// toNodeHandler mounted in Express and in Fastify: a kyoto task per request (named METHOD
// /path, one per request), and a client that leaves aborts it (`finally` runs, `req.signal`
// aborts), as under node:http (test/http/node_handler.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify from 'fastify';
import { Runtime, sleep, type Gen } from '../../src/index.js';
import { Response, toNodeHandler, type HttpRequest } from '../../src/http/index.js';
import { abortProbe, closed, rawConnect } from './helpers.js';

interface Mounted {
  port: number;
  close(): Promise<void>;
}

type NodeHandler = ReturnType<typeof toNodeHandler>;

async function mountExpress(h: NodeHandler): Promise<Mounted> {
  const app = express();
  app.get('/plain', (_req, res) => void res.send('express'));
  app.use('/api', h);
  const server: Server = await new Promise((r) => {
    const s = app.listen(0, '127.0.0.1', () => r(s));
  });
  return { port: (server.address() as AddressInfo).port, close: () => new Promise((r) => server.close(() => r())) };
}

async function mountFastify(h: NodeHandler): Promise<Mounted> {
  const app = Fastify();
  app.get('/plain', async () => 'fastify');
  await app.register(async (scope) => {
    // Leave request bodies unread (Fastify would consume them): the kyoto handler reads req.raw.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, _payload, done) => done(null));
    scope.all('/api/*', (req, reply) => {
      reply.hijack(); // the kyoto handler writes node's response itself
      h(req.raw, reply.raw);
    });
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { port: (app.server.address() as AddressInfo).port, close: () => app.close() };
}

/** The task running the caller, from the runtime's task list. */
function currentTask(): { id: number; name: string } {
  const t = Runtime.current().tasks().find((s) => s.state === 'running');
  assert.ok(t !== undefined, 'a request runs in a task');
  return { id: t.id, name: t.name };
}

for (const [framework, mount] of [
  ['Express', mountExpress],
  ['Fastify', mountFastify],
] as const) {
  test(`${framework}: toNodeHandler runs each request as its own kyoto task named METHOD /path`, async () => {
    const rt = new Runtime();
    const seen: { id: number; name: string }[] = [];
    function* h(req: HttpRequest): Gen<Response> {
      seen.push(currentTask());
      yield* sleep(1);
      const body = req.method === 'POST' ? yield* req.text() : '';
      return Response.json({ m: req.method, p: req.path, body });
    }
    const app = await mount(toNodeHandler(h, { runtime: rt }));
    const base = `http://127.0.0.1:${app.port}`;
    try {
      assert.equal(await (await fetch(`${base}/plain`)).text(), framework.toLowerCase(), 'the framework still serves its own routes');
      const rs = await Promise.all([fetch(`${base}/api/a`), fetch(`${base}/api/b`), fetch(`${base}/api/c`, { method: 'POST', body: 'up' })]);
      const got = (await Promise.all(rs.map((r) => r.json()))) as { m: string; p: string; body: string }[];
      // Express strips the mount path from req.url (its req.originalUrl keeps it); Fastify does not.
      const prefix = framework === 'Express' ? '' : '/api';
      assert.deepEqual(got.map((g) => g.p).sort(), [`${prefix}/a`, `${prefix}/b`, `${prefix}/c`]);
      assert.equal(got.find((g) => g.m === 'POST')?.body, 'up');
      assert.equal(seen.length, 3);
      assert.equal(new Set(seen.map((s) => s.id)).size, 3, 'one task per request');
      assert.deepEqual(seen.map((s) => s.name).sort(), [`GET ${prefix}/a`, `GET ${prefix}/b`, `POST ${prefix}/c`]);
    } finally {
      await app.close();
      await rt.shutdown();
    }
  });

  test(`${framework}: a client that disconnects aborts the request task (finally runs, req.signal aborts)`, async () => {
    const rt = new Runtime();
    const { h, events, inHandler, finished } = abortProbe();
    const app = await mount(toNodeHandler(h, { runtime: rt }));
    try {
      const s = await rawConnect(app.port);
      s.write('GET /api/wait HTTP/1.1\r\nHost: t\r\n\r\n');
      await inHandler;
      s.destroy();
      await closed(s);
      await finished;
      assert.deepEqual(events.sort(), ['finally', 'signal']);
      assert.equal(rt.tasks().filter((t) => t.name.endsWith('/wait')).length, 0, 'the task is gone');
    } finally {
      await app.close();
      await rt.shutdown();
    }
  });
}
