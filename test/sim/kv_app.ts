// A kv host built from examples/kv_server.ts (unchanged code) and a small client, shared by the
// sim tests. Nothing here imports kyoto/sim: this is ordinary kyoto application code.
import { BufReader, IoError, TcpListener, TcpStream, sleep, type Gen } from '../../src/index.js';
import { kvServer } from '../../examples/kv_server.js';

/** The kv host's main: listen on 6379, serve with the example's server. */
export function* kvHost(store: Map<string, string> = new Map()): Gen<void> {
  const listener = yield* TcpListener.bind('0.0.0.0:6379');
  yield* kvServer(listener, 30_000, store);
}

/** A connection to the kv host with one request at a time. */
export class KvConn {
  private constructor(
    readonly stream: TcpStream,
    private readonly rd: BufReader,
  ) {}

  static *open(addr = 'kv:6379'): Gen<KvConn> {
    const s = yield* TcpStream.connect(addr);
    return new KvConn(s, new BufReader(s));
  }

  *call(cmd: string): Gen<string> {
    yield* this.stream.writeAll(Buffer.from(`${cmd}\n`));
    const line = yield* this.rd.readLine();
    if (line === null) throw new IoError('UNEXPECTED_EOF', `kv closed the connection during ${cmd}`);
    return line;
  }

  close(): void {
    this.stream.close();
  }
}

/** The buggy increment: GET, then SET the value plus one (a read-modify-write across requests). */
export function* incrementClient(key: string): Gen<void> {
  const c = yield* KvConn.open();
  try {
    const v = yield* c.call(`GET ${key}`);
    const n = v === 'NIL' ? 0 : Number(v);
    yield* c.call(`SET ${key} ${n + 1}`);
  } finally {
    c.close();
  }
}

/** Waits until the increments surely ended, then checks that none was lost. */
export function* auditor(key: string, expected: number): Gen<void> {
  yield* sleep(1_000);
  const c = yield* KvConn.open();
  const v = yield* c.call(`GET ${key}`);
  c.close();
  if (Number(v) !== expected) throw new Error(`lost update: ${key} is ${v}, expected ${expected}`);
}
