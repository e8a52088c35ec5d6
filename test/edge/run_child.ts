// A program whose main runs until a signal (run by test/edge/run_signals.test.ts).
//   node run_child.js [stuck] [nosignals]
import { run, runWith, sleep, spawn, type Gen } from '../../src/index.js';

const stuck = process.argv.includes('stuck');
const noSignals = process.argv.includes('nosignals');

function* child(): Gen<void> {
  try {
    yield* sleep(60_000);
  } finally {
    console.log('child finally ran');
  }
}

function* main(greeting: string): Gen<void> {
  spawn(child);
  try {
    console.log(greeting);
    yield* sleep(60_000);
  } finally {
    console.log('unwinding');
    yield* sleep(stuck ? 60_000 : 5); // an async finally
    console.log('main finally ran');
  }
}

if (noSignals) await run(function* () { yield* main('ready'); }, { handleSignals: false });
else await runWith({ name: 'child-program' }, main, 'ready');
console.log('not reached');
