/**
 * Every read of Node's private stream fields (`_readableState`, `_writableState`, `_handle`)
 * in kyoto, in one place, checked before kyoto wraps its first socket.
 *
 * Why private fields at all: on the hot path of a small-message server the public getters
 * (`writableNeedDrain`, `writableEnded`, ...) cost more than the write itself, and the FIN flag
 * (`_readableState.ended`) is set long before Node emits 'end', which saves an 'end' listener
 * per connection. Invariant: if a Node version renames or retypes any field used here, the first
 * `NodeStream` kyoto makes (its constructor calls `ensureNodeInternals`) throws
 * `NodeInternalsError` naming the field, before any of them is read, instead of misbehaving
 * later. The check waits for the first socket rather than running when `kyoto` loads so that a
 * program that never opens a socket does not load `node:net` (src/util/node_builtins.ts).
 * Tested in test/net/sys.test.ts and test/net/user_read.test.ts.
 * @module
 */
import type { Socket } from 'node:net';
import { builtin } from '../util/node_builtins.js';

/**
 * Thrown by the first socket kyoto wraps when this Node's stream internals differ from what kyoto
 * reads.
 *
 * @example
 * ```ts
 * // node: NodeInternalsError: kyoto net needs Socket._writableState.needDrain (a boolean) ...
 * ```
 */
export class NodeInternalsError extends Error {
  override name = 'NodeInternalsError';
}

interface WState {
  ending: boolean;
  destroyed: boolean;
  needDrain: boolean;
}
interface RState {
  ended: boolean;
}
interface PeerHandle {
  getpeername?(out: object): number;
}

/** The writable state of `s` (ending, destroyed, needDrain). */
export function writableState(s: Socket): WState {
  return (s as unknown as { _writableState: WState })._writableState;
}

/** True once the peer's FIN arrived on `s` (before Node emits 'end'). */
export function eofReceived(s: Socket): boolean {
  return (s as unknown as { _readableState: RState })._readableState.ended;
}

const PEER_OUT: { address: string | undefined; port: number | undefined } = { address: undefined, port: undefined };

/**
 * The peer address of a connected socket asked from its handle, or null. `socket.remoteAddress`
 * would cache a second copy on the socket for its whole life.
 */
export function peerName(s: Socket): { address: string; port: number } | null {
  const h = (s as unknown as { _handle: PeerHandle | null })._handle;
  if (h === null || h === undefined || typeof h.getpeername !== 'function') return null;
  PEER_OUT.address = undefined;
  PEER_OUT.port = undefined;
  if (h.getpeername(PEER_OUT) !== 0 || PEER_OUT.address === undefined) return null;
  return { address: PEER_OUT.address, port: PEER_OUT.port ?? 0 };
}

interface ReadHandle {
  reading: boolean;
  readStart(): number;
  useUserBuffer(buf: Uint8Array): void;
}

function findSymbol(o: object, description: string): symbol | null {
  for (const k of Object.getOwnPropertySymbols(o)) if (k.description === description) return k;
  return null;
}

/** The user-buffer read symbols of node:net sockets, found by `ensureNodeInternals`. */
let K_BUFFER: symbol | null = null;
let K_BUFFER_CB: symbol | null = null;
let K_BUFFER_GEN: symbol | null = null;
let userRead = false;
let checked = false;

/**
 * Checks this Node's socket internals (`checkNodeInternals`) and finds the user-buffer read
 * symbols, once; every later call returns at once. Throws `NodeInternalsError` on a mismatch.
 */
export function ensureNodeInternals(): void {
  if (checked) return;
  const probe = new (builtin('node:net').Socket)();
  K_BUFFER = findSymbol(probe, 'kBuffer');
  K_BUFFER_CB = findSymbol(probe, 'kBufferCb');
  K_BUFFER_GEN = findSymbol(probe, 'kBufferGen');
  checkNodeInternals(probe); // destroys the probe
  userRead = K_BUFFER !== null && K_BUFFER_CB !== null && K_BUFFER_GEN !== null;
  checked = true;
}

/** True when this Node lets kyoto read accepted and connected sockets into a user buffer. */
export function userReadAvailable(): boolean {
  ensureNodeInternals();
  return userRead;
}

/** A handle kyoto may point at a user buffer: node:net's own TCP and Pipe handles only. */
function readHandle(s: Socket): ReadHandle | null {
  const h = (s as unknown as { _handle: Partial<ReadHandle> | null })._handle;
  if (h === null || h === undefined || typeof h.useUserBuffer !== 'function' || typeof h.readStart !== 'function') return null;
  const kind = (h as { constructor?: { name?: string } }).constructor?.name;
  return kind === 'TCP' || kind === 'Pipe' ? (h as ReadHandle) : null;
}

/**
 * Makes Node read `s` into `buf` and call `cb.call(s, nread, buf)` for each read, instead of
 * pushing to the socket's `Readable`; `cb` returning false stops reading until
 * `restartUserRead`. Only before the socket read anything (a paused accept, a connect in
 * progress). False, with nothing changed, when not possible.
 */
export function installUserRead(s: Socket, buf: Uint8Array, cb: (this: Socket, nread: number, buf: Uint8Array) => boolean): boolean {
  if (!userReadAvailable() || s.readableLength !== 0 || s.destroyed) return false;
  const h = readHandle(s);
  if (h === null) return false;
  const o = s as unknown as Record<symbol, unknown>;
  o[K_BUFFER!] = buf;
  o[K_BUFFER_CB!] = cb;
  o[K_BUFFER_GEN!] = null;
  h.useUserBuffer(buf);
  return true;
}

/** Starts reading again after the user-read callback returned false (no-op once closed). */
export function restartUserRead(s: Socket): void {
  if (s.destroyed || eofReceived(s)) return;
  const h = readHandle(s);
  if (h === null || h.reading) return;
  h.reading = true;
  const err = h.readStart();
  if (err !== 0) {
    const code = builtin('node:util').getSystemErrorName(err);
    s.destroy(Object.assign(new Error(`read ${code}`), { errno: err, code, syscall: 'read' }));
  }
}

/**
 * Checks the fields above on `s` (default: a fresh socket), then destroys `s`; throws
 * `NodeInternalsError` naming what differs.
 */
export function checkNodeInternals(s: Socket = new (builtin('node:net').Socket)()): void {
  const fail = (what: string): never => {
    s.destroy();
    throw new NodeInternalsError(`kyoto net needs ${what} on node:net Socket, which Node ${process.version} does not have; this Node version is not supported`);
  };
  const w = (s as unknown as { _writableState?: Partial<WState> })._writableState;
  if (w === undefined || w === null) fail('_writableState');
  for (const k of ['ending', 'destroyed', 'needDrain'] as const) if (typeof w![k] !== 'boolean') fail(`_writableState.${k} (a boolean)`);
  const r = (s as unknown as { _readableState?: Partial<RState> })._readableState;
  if (r === undefined || r === null || typeof r.ended !== 'boolean') fail('_readableState.ended (a boolean)');
  if (!('_handle' in s)) fail('_handle');
  s.destroy();
}

