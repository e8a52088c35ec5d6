/**
 * The seeds' cancellation-safety bug, and its fix with `shield`.
 *
 * `appendEntry` bumps a counter, then "writes" the entry (an await: a slow disk), then appends it
 * to the list. Abort the writer task while a write is in flight and the counter says one more
 * entry than the list holds: the task was cancelled at the await, between the two updates.
 *
 * The fix: run each append as a shielded section. An abort that arrives during the write waits for
 * the append to finish, then cancels the writer: the ledger is always consistent.
 *
 * Run: `npx tsc && node dist/examples/cancel_safety.js`
 */
import { pathToFileURL } from 'node:url';
import { Runtime, shield, sleep, spawn, JoinError, type Future, type Gen } from '../src/index.js';

interface Ledger {
  count: number;
  entries: string[];
}

/** A slow write. */
function diskWrite(ms: number): Future<void> {
  return sleep(ms);
}

/** NOT cancellation safe: cancelled at the await, `count` and `entries` disagree. */
function* appendEntry(ledger: Ledger, entry: string): Gen<void> {
  ledger.count++;
  yield* diskWrite(2); // <- an abort here leaves count = entries.length + 1
  ledger.entries.push(entry);
}

function* buggyWriter(ledger: Ledger): Gen<void> {
  for (let i = 0; ; i++) yield* appendEntry(ledger, `entry ${i}`);
}

function* fixedWriter(ledger: Ledger): Gen<void> {
  for (let i = 0; ; i++) yield* shield(appendEntry(ledger, `entry ${i}`));
}

/** Lets `writer` run for a while, aborts it, waits until it is gone, and reports the ledger. */
function* runThenAbort(writer: (ledger: Ledger) => Gen<void>): Gen<{ count: number; entries: number; cancelled: boolean }> {
  const ledger: Ledger = { count: 0, entries: [] };
  const h = spawn(writer, ledger);
  yield* diskWrite(15);
  h.abort();
  let cancelled = false;
  try {
    yield* h;
  } catch (e) {
    cancelled = e instanceof JoinError && e.isCancelled();
  }
  return { count: ledger.count, entries: ledger.entries.length, cancelled };
}

/** Runs both writers; the test checks the figures. */
export async function main(): Promise<{
  buggy: { count: number; entries: number; cancelled: boolean };
  fixed: { count: number; entries: number; cancelled: boolean };
}> {
  const rt = new Runtime();
  try {
    const buggy = await rt.blockOn(runThenAbort, buggyWriter);
    const fixed = await rt.blockOn(runThenAbort, fixedWriter);
    return { buggy, fixed };
  } finally {
    await rt.shutdown();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { buggy, fixed } = await main();
  console.log(`without shield: count ${buggy.count}, entries ${buggy.entries}  <- inconsistent`);
  console.log(`with shield:    count ${fixed.count}, entries ${fixed.entries}  <- consistent`);
}
