/**
 * The examples of docs/streams.md and of the stream doc comments, run as written (with the
 * values they promise).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Done, fromAsyncIterable, fromIterable, fromReceiver, mpsc, run, spawn, type Stream } from '../../src/index.js';

test('docs: the opening pipeline gives [20, 40, 60]', async () => {
  function* main() {
    return yield* fromIterable([1, 2, 3, 4, 5, 6, 7, 8])
      .filter((x) => x % 2 === 0)
      .map((x) => x * 10)
      .take(3)
      .collect();
  }
  assert.deepEqual(await run(main), [20, 40, 60]);
});

test('docs: the two typed loops', async () => {
  function* readAll(lines: Stream<string>, s: Stream<number | undefined>) {
    const seen: unknown[] = [];
    let line: string | undefined;
    while ((line = yield* lines.next()) !== undefined) seen.push(line);
    for (let v; (v = yield* s.pull()) !== Done; ) seen.push(v);
    return seen;
  }
  const out = await run(() => readAll(fromIterable(['a', 'b']), fromIterable([1, undefined, 2])));
  assert.deepEqual(out, ['a', 'b', 1, undefined, 2]);
});

test('docs: fromAsyncIterable fetches only the pages it needs', async () => {
  let fetched = 0;
  async function fetchPage(p: number): Promise<string> {
    fetched++;
    await new Promise((r) => setImmediate(r));
    return `page ${p}`;
  }
  async function* pages() {
    for (let p = 1; ; p++) yield await fetchPage(p);
  }
  function* main() {
    return yield* fromAsyncIterable(pages()).take(3).collect();
  }
  assert.deepEqual(await run(main), ['page 1', 'page 2', 'page 3']);
  assert.equal(fetched, 3);
});

interface Job {
  id: number;
}
function* runJob(job: Job, done: number[]) {
  done.push(job.id);
}
function* submit(tx: mpsc.Sender<Job>, n: number) {
  for (let id = 0; id < n; id++) yield* tx.send({ id });
  tx.close();
}

test('docs: jobs from an mpsc channel with forEachConcurrent', async () => {
  const done: number[] = [];
  function* main() {
    const [tx, rx] = mpsc.channel<Job>(64);
    spawn(submit, tx, 20);
    yield* fromReceiver(rx).forEachConcurrent(4, (job) => runJob(job, done));
  }
  await run(main);
  assert.deepEqual([...done].sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i));
});
