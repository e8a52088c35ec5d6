/**
 * A registry of live resources (timers, sockets, channels, locks) for the console and dumps.
 *
 * Tracking costs one WeakRef per resource, so it is off until something (the console) turns it
 * on; resources created while it is off are not listed. Each module calls
 * `trackResource(this)` in its constructors and implements `resourceInfo()`.
 * @module
 */

/** What a resource reports about itself. */
export interface ResourceInfo {
  /** 'timer', 'tcp', 'udp', 'mpsc', 'mutex', 'semaphore', ... */
  kind: string;
  /** A short label (an address, a capacity). */
  label: string;
  /** How many tasks wait on it. */
  waiters: number;
  /** Extra figures (queue length, permits, bytes buffered). */
  details?: Record<string, number | string | boolean>;
  /** Problems the resource sees in its own state, listed by the console as lints. */
  problems?: ResourceProblem[];
}

/** A problem a resource reports about itself (the console turns each into a lint). */
export interface ResourceProblem {
  /** The lint kind, e.g. 'semaphore-oversized-acquire', 'broadcast-lagged'. */
  kind: string;
  /** 'error' for what hangs or loses data for good, else 'warning'. */
  severity: 'warning' | 'error';
  /** A sentence saying what happened and what to do. */
  message: string;
  /** The measured figure (permits asked, values dropped). */
  value: number;
  /** How many times it happened (lagged receivers...). */
  count: number;
}

/** An object the console can list. */
export interface TrackedResource {
  resourceInfo(): ResourceInfo;
}

/** @internal */
export const resourceRegistry = {
  enabled: false,
  live: new Set<WeakRef<TrackedResource>>(),
};

/**
 * Registers `r` with the console (no-op unless the console is on).
 *
 * @example
 * ```ts
 * class MyQueue implements TrackedResource {
 *   constructor() { trackResource(this); }
 *   resourceInfo() { return { kind: 'my-queue', label: '', waiters: 0 }; }
 * }
 * ```
 */
export function trackResource(r: TrackedResource): void {
  if (resourceRegistry.enabled) resourceRegistry.live.add(new WeakRef(r));
}

/**
 * Every live tracked resource's info (dead entries are pruned). Empty unless the console is on.
 *
 * @example
 * ```ts
 * for (const r of listResources()) console.log(r.kind, r.label, r.waiters);
 * ```
 */
export function listResources(): ResourceInfo[] {
  const out: ResourceInfo[] = [];
  for (const ref of resourceRegistry.live) {
    const r = ref.deref();
    if (r === undefined) resourceRegistry.live.delete(ref);
    else out.push(r.resourceInfo());
  }
  return out;
}

/**
 * Events resources report for the console's lints. Each hook is null unless the console is on, so
 * reporting costs one null check.
 * @internal
 */
export const resourceEvents = {
  /** A send on a channel every receiver of which is gone. */
  sendWithoutReceivers: null as ((channel: object, kind: string, label: string) => void) | null,
};

/**
 * Channels call this when a value is sent (or a send is attempted) after every receiver was
 * dropped: the console lints a channel whose senders keep sending into the void.
 *
 * @example
 * ```ts
 * send(v: T) {
 *   if (this.receivers === 0) { reportSendWithoutReceivers(this, 'mpsc', this.label); throw new SendError(v); }
 * }
 * ```
 */
export function reportSendWithoutReceivers(channel: object, kind: string, label = ''): void {
  const hook = resourceEvents.sendWithoutReceivers;
  if (hook !== null) hook(channel, kind, label);
}

/** A wait that can never be satisfied as things stand (see `impossibleWaits`). */
export interface ImpossibleWait {
  /** One line saying who waits for what and why it cannot come, or null once it can. */
  describeWait(): string | null;
}

/**
 * @internal Waits that cannot be satisfied as things stand, such as a `Semaphore(2).acquire(3)`.
 * They are rare, so they are tracked always (not only under the console): deadlock reports,
 * dumps and the console's lints name them.
 */
export const impossibleWaits = new Set<ImpossibleWait>();

/**
 * The lines of every wait that cannot be satisfied as things stand.
 *
 * @example
 * ```ts
 * for (const line of describeImpossibleWaits()) console.warn(line);
 * ```
 */
export function describeImpossibleWaits(): string[] {
  const out: string[] = [];
  for (const w of impossibleWaits) {
    const line = w.describeWait();
    if (line !== null) out.push(line);
  }
  return out;
}
