// Worker side of the deque and queue tests (started by deque.test.ts with workerData).
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { SharedDeque } from '../../src/runtime/scheduler/multi_thread/deque.js';
import { SharedMpmc } from '../../src/runtime/scheduler/multi_thread/mpmc.js';

interface Job {
  mode: 'thief' | 'producer' | 'consumer';
  mem: SharedArrayBuffer;
  counts: SharedArrayBuffer;
  base: number;
  capacity: number;
  /** Producer: items [from, to). */
  from: number;
  to: number;
  /** Word index of the "done" flag in mem. */
  doneIdx: number;
}

if (!isMainThread && workerData !== null && typeof workerData === 'object' && 'mode' in (workerData as object)) {
  const job = workerData as Job;
  const mem = new Int32Array(job.mem);
  const counts = new Int32Array(job.counts);
  let taken = 0;
  let sum = 0;
  // Word 1 counts the threads that are up (the owner waits for them before it starts).
  Atomics.add(mem, 1, 1);
  if (job.mode === 'thief') {
    const dq = new SharedDeque(mem, job.base, job.capacity);
    for (;;) {
      const x = dq.steal();
      if (x >= 0) {
        Atomics.add(counts, x, 1);
        taken++;
        sum += x;
        continue;
      }
      if (Atomics.load(mem, job.doneIdx) === 1 && dq.len() === 0) break;
    }
  } else {
    const q = new SharedMpmc(mem, job.base, job.capacity);
    if (job.mode === 'producer') {
      for (let i = job.from; i < job.to; i++) while (!q.push(i));
    } else {
      for (;;) {
        const x = q.pop();
        if (x >= 0) {
          Atomics.add(counts, x, 1);
          taken++;
          sum += x;
          continue;
        }
        if (Atomics.load(mem, job.doneIdx) === 1 && q.len() === 0) break;
      }
    }
  }
  parentPort!.postMessage({ taken, sum });
}
