/**
 * The differential parser suite: every raw request of cases.ts goes over a raw socket to a
 * node:http server and to kyoto's `serve`; the status codes sent back (1xx aside) and the
 * requests each handler saw (method, target, raw headers, body) must be the same. Cases marked
 * `differs` are deliberate differences (docs/http.md) and must indeed differ.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import { fromPromise, run, type Gen } from '../../src/index.js';
import { Response, serve, type HttpRequest } from '../../src/http/index.js';
import { CASES } from './cases.js';

const TERM = 'GET /end HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n';

interface Seen {
  m: string;
  u: string;
  h: string[];
  b: string;
}

/** Sends `raw`, reads until the server closes (or 3 s pass: a hang is a verdict too). */
function exchange(port: number, raw: string): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      s.destroy();
      resolve(Buffer.concat(chunks).toString('latin1') + '[hang]');
    }, 3000);
    s.on('data', (d) => chunks.push(d));
    s.on('error', () => {});
    s.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('latin1'));
    });
    s.write(Buffer.from(raw, 'latin1'));
  });
}

function verdict(out: string, seen: Seen[]): { codes: string[]; seen: Seen[] } {
  const codes = [...out.matchAll(/HTTP\/1\.[01] (\d{3})/g)].map((m) => m[1]!).filter((c) => !c.startsWith('1'));
  if (out.endsWith('[hang]')) codes.push('hang');
  return { codes, seen: seen.filter((s) => s.u !== '/end') };
}

test('differential: kyoto and node:http agree on at least 60 raw requests, valid and malformed', async () => {
  assert.ok(CASES.length >= 60);
  const nodeSeen: Seen[] = [];
  const node = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', () => {
      nodeSeen.push({ m: req.method!, u: req.url!, h: req.rawHeaders, b: Buffer.concat(parts).toString('latin1') });
      res.end('ok');
    });
  });
  await new Promise<void>((r) => node.listen(0, '127.0.0.1', r));
  const nodePort = (node.address() as net.AddressInfo).port;
  const kySeen: Seen[] = [];
  function* record(req: HttpRequest): Gen<Response> {
    const b = yield* req.bytes();
    kySeen.push({ m: req.method, u: req.target, h: req.headers.raw(), b: b.toString('latin1') });
    return new Response('ok');
  }
  const mismatches: string[] = [];
  try {
    await run(function* () {
      const srv = yield* serve({ port: 0, maxBodyBytes: 1 << 20 }, record);
      for (const cs of CASES) {
        const raw = cs.closes === true ? cs.raw : cs.raw + TERM;
        nodeSeen.length = 0;
        kySeen.length = 0;
        const n = verdict(yield* fromPromise(exchange(nodePort, raw)), nodeSeen);
        const k = verdict(yield* fromPromise(exchange(srv.port, raw)), kySeen);
        let same = true;
        try {
          assert.deepEqual(k, n);
        } catch {
          same = false;
        }
        if (cs.differs !== undefined) {
          if (same) mismatches.push(`${cs.name}: documented as different but agrees`);
        } else if (!same) {
          mismatches.push(`${cs.name}: node ${JSON.stringify(n)} kyoto ${JSON.stringify(k)}`);
        }
      }
      yield* srv.shutdown({ graceMs: 100 });
    });
  } finally {
    node.close();
  }
  assert.deepEqual(mismatches, []);
});
