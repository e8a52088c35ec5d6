// A distributed deadlock: two hosts each wait for the other to speak first. The run fails with a
// SimError that lists both hosts' stuck tasks with their await chains.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sim, SimError } from '../../src/sim/index.js';
import { TcpListener, TcpStream, type Gen } from '../../src/index.js';

function* waitForHello(stream: TcpStream): Gen<void> {
  const hello = yield* stream.readChunk(); // both sides wait here: nobody writes first
  yield* stream.writeAll(Buffer.from(`re: ${String(hello)}`));
}

function* peer(other: string): Gen<void> {
  const listener = yield* TcpListener.bind('0.0.0.0:7000');
  const out = yield* TcpStream.connect(`${other}:7000`);
  const [inbound] = yield* listener.accept();
  yield* waitForHello(inbound);
  out.close();
}

test('a deadlock between two hosts is reported with both stuck chains', async () => {
  const err = await new Sim({ seed: 4 })
    .client('alice', peer, 'bob')
    .client('bob', peer, 'alice')
    .run()
    .then(() => null, (e: unknown) => e);
  assert.ok(err instanceof SimError, String(err));
  assert.equal(err.kind, 'deadlock');
  assert.deepEqual(Object.keys(err.stuck).sort(), ['alice', 'bob']);
  for (const host of ['alice', 'bob']) {
    const lines = err.stuck[host]!.join('\n');
    assert.match(lines, /task (alice|bob)/, lines);
    assert.match(lines, /awaits: .*waitForHello/, lines);
  }
  assert.match(err.message, /host alice:[\s\S]*host bob:/);
  assert.match(err.message, /replay: KYOTO_SIM_SEED=4/);
});
