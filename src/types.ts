/**
 * The public interfaces of kyoto in one place: what you implement to plug into the runtime, and
 * what the runtime hands you. Everything here is a re-export of the real type from the module
 * that owns it (nothing is duplicated), so this file is the map and the owners stay the truth.
 *
 * ## What you implement
 *
 * - **`Future<T>`** (`future/future.ts`): a value computed by polling. `poll(cx)` returns the
 *   value, or `Pending` after arranging for `cx.waker.wake()` to be called when polling again
 *   can make progress. Futures are lazy and are cancelled by being dropped: `drop()` releases
 *   every registration (timers, waiter-list entries, sockets) and is idempotent. Keep the
 *   waiting task's waker in a `WakerSlot` (`future/waker_slot.ts`).
 * - **`Stream<T>`** (`stream/stream.ts`): many values by polling. `pollNext(cx)` returns a value,
 *   `Done`, or `Pending`; values are not wrapped, so pipelines allocate nothing per item.
 * - **`AsyncRead` / `AsyncWrite` / `AsyncBufRead`** (`io/traits.ts`): poll-based byte sources and
 *   sinks. `pollRead(cx, buf)` gives a count (0 is EOF); `pollWrite`, `pollFlush`,
 *   `pollShutdown`; `pollFillBuf` / `consume` to parse without copying. `read`, `readExact`,
 *   `copy`, `BufReader`, `Framed` and the codecs work on any implementer.
 * - **`Waker`** (`future/future.ts`): rarely implemented by hand (`WakerBase`, `wakerFn` help in
 *   tests); it reschedules a task, and `willWake` lets a stored waker be kept instead of cloned.
 * - **`Driver`** (`runtime/driver.ts`): something driven alongside the tasks (the timer wheel,
 *   the I/O registry, the console): idle hook, deadlock description, metrics, shutdown.
 *
 * ## What you receive
 *
 * - **`Context`**: what `poll` is given; its `waker` belongs to the polling task and is lent for
 *   the duration of the poll (clone it, or register it in a `WakerSlot`, to keep it).
 * - **`JoinHandle<T>`** (`runtime/task/join_handle.ts`): what `spawn` returns. It is a future of the task's
 *   output (`yield* h`), with `id` (unique in the process), `name`, `abort()` and `isFinished()`.
 *   Dropping an awaited handle does not cancel the task; `abort()` does.
 * - **`Poll<T>`** / **`StreamPoll<T>`**: the results of polling, with the sentinels `Pending` and
 *   `Done`.
 *
 * @example
 * ```ts
 * import type { Context, Poll, AsyncRead } from 'kyoto'; // the same types as here
 * class Zeros implements AsyncRead {
 *   pollRead(_cx: Context, buf: Uint8Array): Poll<number> { buf.fill(0); return buf.length; }
 * }
 * ```
 * @module
 */
export type { Future, Context, Waker, Poll, Gen, Output } from './future/future.js';
export type { WakerSlot } from './future/waker_slot.js';
export type { JoinHandle } from './runtime/task/join_handle.js';
export type { Driver, TaskInfo } from './runtime/driver.js';
export type { AsyncRead, AsyncWrite, AsyncBufRead, AsyncReadWrite } from './io/traits.js';
export type { Stream } from './stream/stream.js';
export type { StreamPoll, Consumer, EachResult } from './stream/poll.js';
