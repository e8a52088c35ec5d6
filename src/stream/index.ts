/**
 * kyoto streams (see docs/streams.md): poll-based async sequences, their combinators, sources
 * and sinks.
 * @module
 */
import './basic.js';
import './chunks.js';
import './merge.js';
import './timing.js';
import './buffered.js';
import './terminal.js';
export { Stream, Done, isSignal } from './stream.js';
export type { StreamPoll, Awaitable, Resolved, ForEachResult, Consumer, EachResult } from './stream.js';
export { StreamTimeoutError, StreamArgumentError } from './errors.js';
export { fromIterable, fromAsyncIterable } from './sources.js';
export { fromReadable, toReadable } from './readable.js';
export { StreamClosedError } from './async_iter.js';
export type { FromReadableOptions } from './readable.js';
export { fromReceiver, fromBroadcast, fromWatch, fromInterval, fromSignal, incoming, lines } from './adapters.js';
export type {
  AdapterOptions,
  BroadcastStreamOptions,
  RecvLike,
  WatchLike,
  IntervalLike,
  SignalLike,
  ListenerLike,
  LineReader,
} from './adapters.js';
export { StreamMap } from './stream_map.js';
