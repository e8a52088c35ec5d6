/**
 * `ThreadContext`: one thread's side of the shared scheduler state. It owns the thread's range
 * of task slots, spawns tasks into them, and settles the thread's `RemoteHandle`s when their
 * slots come back through its inbox. Workers also use it to write results.
 * @module
 */
import { Decoder, Encoder } from './codec.js';
import { heapAlloc, heapFree, ParallelHeapExhaustedError } from './heap.js';
import {
  INLINE_BYTES,
  OUT_CANCELLED,
  OUT_DIED,
  OUT_ERR,
  OUT_OK,
  ST_CANCEL_REQ,
  ST_CANCELLED_QUEUED,
  ST_DONE,
  ST_FREE,
  ST_QUEUED,
  ST_RUNNING,
  S_HEAP,
  S_KIND,
  S_LEN,
  S_OUTCOME,
  S_RUNNER,
  S_STATE,
  T_CANCELS,
  type Shared,
} from './layout.js';
import { RemoteHandle, type HandleOwner } from './remote_handle.js';
import { kindOf, type TaskEntry } from './registry.js';
import { ParallelArgumentError, WorkerDiedError } from './errors.js';
import { fromWire, toWire, type WireError } from './error_wire.js';

export { ParallelArgumentError, WorkerDiedError };

/** @internal */
export class ThreadContext implements HandleOwner {
  readonly enc = new Encoder();
  readonly dec = new Decoder();
  private readonly free: Int32Array;
  private freeTop = 0;
  private readonly handles: (RemoteHandle<unknown> | undefined)[];
  private readonly pending: RemoteHandle<unknown>[] = [];
  private pendingHead = 0;
  /** Encoded arguments of the pending handles (offsets in `RemoteHandle.pendingOff`). */
  private arena = new Uint8Array(4096);
  private arenaEnd = 0;
  /** Handles not settled yet. */
  outstanding = 0;
  readonly base: number;
  /** Queues a slot that was just made QUEUED (main: global queue; worker: LIFO slot). */
  submit: (id: number) => void = () => {};
  /** Workers set this: runs a task locally when no slot is free (see `spawn`). */
  runInline: ((entry: TaskEntry, args: unknown[], h: RemoteHandle<unknown>) => void) | null = null;
  /** Called when `outstanding` goes from 0 to 1 (true) or back to 0 (false). */
  onBusy: ((busy: boolean) => void) | null = null;

  constructor(
    readonly sh: Shared,
    readonly tid: number,
  ) {
    const m = sh.slotsPerThread;
    this.base = tid * m;
    this.free = new Int32Array(m);
    this.handles = new Array(m).fill(undefined);
    // Free slots, highest first so that low ids are used first. A replacement worker finds
    // slots still in flight for its dead predecessor: they are freed when they come back.
    const mem = sh.mem;
    for (let i = m - 1; i >= 0; i--) if (Atomics.load(mem, sh.sw(this.base + i, S_STATE)) === ST_FREE) this.free[this.freeTop++] = i;
  }

  // ---- spawning ------------------------------------------------------------------------------

  /** Spawns `entry(...args)` on the pool. */
  spawn<T>(entry: TaskEntry, args: readonly unknown[], transfer: readonly ArrayBuffer[] | null): RemoteHandle<T> {
    const kind = kindOf(entry, this.sh, this.tid);
    const enc = this.enc;
    try {
      enc.encodeList(args);
    } catch (e) {
      throw new ParallelArgumentError(
        `arguments of parallel task ${entry.name} cannot be copied to another thread: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    if (transfer !== null) for (const b of transfer) detach(b, entry.name);
    const h = new RemoteHandle<T>(this, entry.name);
    h.kind = kind;
    if (this.freeTop === 0 && this.runInline !== null) {
      // A worker with every slot in flight runs the task itself, as a local task: waiting for
      // a slot could deadlock when the tasks holding them wait for this one.
      this.runInline(entry, this.dec.decodeList(enc.buf, 0, enc.len), h as RemoteHandle<unknown>);
      return h;
    }
    if (this.freeTop === 0) {
      // No free slot: keep the encoded arguments in the pending arena until one frees up.
      const len = enc.len;
      if (this.arenaEnd + len > this.arena.length) {
        let n = this.arena.length * 2;
        while (n < this.arenaEnd + len) n *= 2;
        const a = new Uint8Array(n);
        a.set(this.arena.subarray(0, this.arenaEnd));
        this.arena = a;
      }
      const arena = this.arena;
      const src = enc.buf;
      const at = this.arenaEnd;
      if (len > 64) arena.set(src.subarray(0, len), at);
      else for (let i = 0; i < len; i++) arena[at + i] = src[i]!;
      h.pendingOff = this.arenaEnd;
      h.pendingLen = len;
      this.arenaEnd += len;
      this.pending.push(h as RemoteHandle<unknown>);
      this.addOutstanding();
      return h;
    }
    const local = this.free[--this.freeTop]!;
    try {
      this.place(this.base + local, enc.buf, enc.len);
    } catch (e) {
      this.free[this.freeTop++] = local;
      throw e;
    }
    this.addOutstanding();
    this.launch(h as RemoteHandle<unknown>, local);
    return h;
  }

  private addOutstanding(): void {
    if (this.outstanding++ === 0 && this.onBusy !== null) this.onBusy(true);
  }

  private subOutstanding(): void {
    if (--this.outstanding === 0 && this.onBusy !== null) this.onBusy(false);
  }

  private launch(h: RemoteHandle<unknown>, local: number): void {
    const id = this.base + local;
    const sh = this.sh;
    sh.mem[sh.sw(id, S_KIND)] = h.kind;
    this.handles[local] = h;
    h.slot = id;
    Atomics.store(sh.mem, sh.sw(id, S_STATE), ST_QUEUED);
    this.submit(id);
  }

  /** Submits handles that waited for a free slot. */
  private launchPending(): void {
    while (this.freeTop > 0 && this.pendingHead < this.pending.length) {
      const h = this.pending[this.pendingHead]!;
      this.pending[this.pendingHead++] = undefined as unknown as RemoteHandle<unknown>;
      const off = h.pendingOff;
      const len = h.pendingLen;
      if (this.pendingHead === this.pending.length) {
        this.pending.length = 0;
        this.pendingHead = 0;
        this.arenaEnd = 0; // nothing left in the arena once this entry is copied below
      }
      if (off < 0 || h.isFinished()) continue;
      h.pendingOff = -1;
      const local = this.free[--this.freeTop]!;
      try {
        this.place(this.base + local, this.arena, len, off);
      } catch (e) {
        this.free[this.freeTop++] = local;
        this.subOutstanding();
        h.settle('err', e);
        continue;
      }
      this.launch(h, local);
    }
  }

  /** Writes an encoded payload into slot `id` (inline or in the heap). */
  place(id: number, buf: Uint8Array, len: number, start = 0): void {
    const sh = this.sh;
    const mem = sh.mem;
    if (len <= INLINE_BYTES) {
      // A short loop: no subarray view allocated per task.
      const dst = sh.bytes;
      const o = sh.inlineByte(id);
      for (let i = 0; i < len; i++) dst[o + i] = buf[start + i]!;
      mem[sh.sw(id, S_HEAP)] = 0;
    } else {
      const off = heapAlloc(sh, len, this.tid);
      sh.heap.set(buf.subarray(start, start + len), off);
      mem[sh.sw(id, S_HEAP)] = off;
    }
    mem[sh.sw(id, S_LEN)] = len;
  }

  /** Frees slot `id`'s heap block, if any. */
  releasePayload(id: number): void {
    const sh = this.sh;
    const i = sh.sw(id, S_HEAP);
    const off = sh.mem[i]!;
    if (off !== 0) {
      sh.mem[i] = 0;
      heapFree(sh, off, this.tid);
    }
  }

  /** Decodes slot `id`'s payload as an argument list. */
  readArgs(id: number): unknown[] {
    const sh = this.sh;
    const off = sh.mem[sh.sw(id, S_HEAP)]!;
    const len = sh.mem[sh.sw(id, S_LEN)]!;
    return off !== 0 ? this.dec.decodeList(sh.heap, off, len) : this.dec.decodeList(sh.bytes, sh.inlineByte(id), len);
  }

  private readOne(id: number): unknown {
    const sh = this.sh;
    const off = sh.mem[sh.sw(id, S_HEAP)]!;
    const len = sh.mem[sh.sw(id, S_LEN)]!;
    return off !== 0 ? this.dec.decodeOne(sh.heap, off, len) : this.dec.decodeOne(sh.bytes, sh.inlineByte(id), len);
  }

  // ---- aborting ------------------------------------------------------------------------------

  abortHandle(h: RemoteHandle<unknown>): void {
    const id = h.slot;
    if (h.inline !== null) {
      h.inline.abort();
      return;
    }
    if (id < 0) {
      // Still waiting for a slot: it simply never starts.
      if (h.pendingOff >= 0) {
        h.pendingOff = -1;
        this.subOutstanding();
        h.settle('cancelled', undefined);
      }
      return;
    }
    const sh = this.sh;
    const si = sh.sw(id, S_STATE);
    if (Atomics.compareExchange(sh.mem, si, ST_QUEUED, ST_CANCELLED_QUEUED) === ST_QUEUED) {
      // Removed: whoever dequeues the slot hands it back to be freed; it never runs.
      this.releasePayload(id);
      this.handles[id - this.base] = undefined;
      this.subOutstanding();
      h.settle('cancelled', undefined);
      return;
    }
    // Running: ask its worker to drop it at its next poll (the handle settles when it did).
    if (Atomics.compareExchange(sh.mem, si, ST_RUNNING, ST_RUNNING | ST_CANCEL_REQ) === ST_RUNNING) {
      const runner = Atomics.load(sh.mem, sh.sw(id, S_RUNNER));
      Atomics.add(sh.mem, sh.tw(runner, T_CANCELS), 1);
      sh.wake(runner);
    }
  }

  // ---- completion ------------------------------------------------------------------------

  /** Runner side: writes the outcome of slot `id` and hands the slot back to its owner. */
  complete(id: number, outcome: number, value: unknown): void {
    const enc = this.enc;
    if (outcome === OUT_OK) {
      try {
        enc.encodeOne(value);
      } catch (e) {
        outcome = OUT_ERR;
        value = new ParallelArgumentError(`the result of a parallel task cannot be copied to another thread: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    if (outcome === OUT_ERR) enc.encodeOne(toWire(value));
    else if (outcome === OUT_CANCELLED) enc.encodeOne(undefined);
    else if (outcome === OUT_DIED) enc.encodeOne(String(value));
    this.deliver(id, outcome, enc.buf, enc.len);
  }

  /**
   * Places an encoded outcome in slot `id` and hands the slot back. A finished task is never
   * failed for want of heap space: when the heap is busy, the result waits (retried every
   * millisecond) until payloads in flight are freed. Only a result larger than the heap can
   * ever hold fails the task, with an error saying so.
   */
  private deliver(id: number, outcome: number, buf: Uint8Array, len: number): void {
    const sh = this.sh;
    try {
      this.place(id, buf, len);
    } catch (e) {
      if (e instanceof ParallelHeapExhaustedError && e.transient) {
        this.waitingResults.push({ id, outcome, bytes: buf.slice(0, len) });
        if (this.retryTimer === null) this.retryTimer = setTimeout(this.retryFn, 1);
        return;
      }
      const enc = this.enc;
      enc.encodeOne(toWire(e));
      this.deliver(id, OUT_ERR, enc.buf, enc.len);
      return;
    }
    sh.mem[sh.sw(id, S_OUTCOME)] = outcome;
    Atomics.store(sh.mem, sh.sw(id, S_STATE), ST_DONE);
    this.handBack(id);
  }

  /** Results of finished tasks waiting for heap space (see `deliver`). */
  private waitingResults: { id: number; outcome: number; bytes: Uint8Array }[] = [];
  private retryTimer: NodeJS.Timeout | null = null;
  private readonly retryFn = (): void => {
    this.retryTimer = null;
    const list = this.waitingResults;
    this.waitingResults = [];
    for (const r of list) this.deliver(r.id, r.outcome, r.bytes, r.bytes.length);
    if (this.deferWakes) this.flushWakes();
  };

  /** Sends slot `id` to its owner (directly when the owner is this thread). */
  handBack(id: number): void {
    const owner = this.sh.ownerOf(id);
    if (owner === this.tid) this.finishSlot(id);
    else {
      this.sh.inboxes[owner]!.push(id);
      if (this.deferWakes) {
        // A worker batches its wake-ups: one notify per owner per batch of completions.
        if (this.wakeList.length === 0) this.wakeSince = performance.now();
        if (this.wakeList.indexOf(owner) < 0) this.wakeList.push(owner);
      } else this.sh.wake(owner);
    }
  }

  /** Workers set this: owners are woken by `flushWakes`, not at each completion. */
  deferWakes = false;
  /** Owners with completions not signalled yet. */
  readonly wakeList: number[] = [];
  /** When the oldest unsignalled completion was handed back (ms). */
  wakeSince = 0;

  /** Signals every owner that has completions waiting. */
  flushWakes(): void {
    const l = this.wakeList;
    for (let i = 0; i < l.length; i++) this.sh.wake(l[i]!);
    l.length = 0;
  }

  /** Owner side: processes every slot in the inbox. Returns how many. */
  drainInbox(): number {
    const q = this.sh.inboxes[this.tid]!;
    let n = 0;
    for (;;) {
      const id = q.pop();
      if (id < 0) break;
      this.finishSlot(id);
      n++;
    }
    return n;
  }

  /** Owner side: a slot came back (done, or cancelled while queued). */
  finishSlot(id: number): void {
    const sh = this.sh;
    const mem = sh.mem;
    const local = id - this.base;
    const st = Atomics.load(mem, sh.sw(id, S_STATE));
    const h = this.handles[local];
    this.handles[local] = undefined;
    let kind: 'ok' | 'err' | 'cancelled' = 'cancelled';
    let value: unknown = undefined;
    if (st === ST_DONE) {
      const out = mem[sh.sw(id, S_OUTCOME)]!;
      if (h !== undefined) {
        try {
          const v = this.readOne(id);
          if (out === OUT_OK) {
            kind = 'ok';
            value = v;
          } else if (out === OUT_ERR) {
            kind = 'err';
            value = fromWire(v as WireError);
          } else if (out === OUT_DIED) {
            kind = 'err';
            value = new WorkerDiedError(String(v));
          }
        } catch (e) {
          kind = 'err';
          value = e;
        }
      }
      this.releasePayload(id);
    }
    Atomics.store(mem, sh.sw(id, S_STATE), ST_FREE);
    this.free[this.freeTop++] = local;
    if (h !== undefined) {
      this.subOutstanding();
      h.settle(kind, value);
    }
    if (this.pendingHead < this.pending.length) this.launchPending();
  }

  /** Aborts every task this thread spawned (runtime shutdown: queued ones settle at once). */
  abortAll(): void {
    for (let i = 0; i < this.handles.length; i++) {
      const h = this.handles[i];
      if (h !== undefined) this.abortHandle(h);
    }
    for (let i = this.pendingHead; i < this.pending.length; i++) this.abortHandle(this.pending[i]!);
  }

  /** Settles every handle still outstanding (runtime shutdown). */
  failAll(reason: unknown, kind: 'cancelled' | 'err' = 'cancelled'): void {
    for (let i = 0; i < this.handles.length; i++) {
      const h = this.handles[i];
      if (h !== undefined) {
        this.handles[i] = undefined;
        h.settle(kind, reason);
      }
    }
    for (let i = this.pendingHead; i < this.pending.length; i++) this.pending[i]!.settle(kind, reason);
    this.pending.length = 0;
    this.pendingHead = 0;
    if (this.outstanding !== 0) {
      this.outstanding = 0;
      if (this.onBusy !== null) this.onBusy(false);
    }
  }
}

function detach(b: ArrayBuffer, name: string): void {
  if (!(b instanceof ArrayBuffer)) {
    throw new ParallelArgumentError(`parallel task ${name}: only ArrayBuffers can be transferred, got ${Object.prototype.toString.call(b)}`);
  }
  structuredClone(b, { transfer: [b] });
}

export { OUT_CANCELLED, OUT_DIED, OUT_ERR, OUT_OK };
