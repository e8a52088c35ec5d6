/**
 * The simulated network: host addresses and name resolution, per-link faults, latency and
 * loss, and the delivery of packets by virtual time.
 *
 * - Every host gets the address `10.0.x.y` derived from its index; `'name:port'`,
 *   that address, and (from the host itself) `127.0.0.1`, `localhost`, `0.0.0.0` resolve to it.
 * - A packet from host a to host b arrives after a latency drawn in `[min, max]` ms (0 on
 *   loopback). Stream segments of one connection never overtake each other (an arrival is
 *   never earlier than the previous one of the same flow).
 * - `partition(a, b)`: datagrams and connection attempts between a and b are lost; segments of
 *   established connections wait (TCP's retransmission hides the partition) and leave on
 *   `repair`. `hold(a, b)`: everything waits, nothing is lost, until `release` (or `repair`).
 * - `lossRate`: the probability that a datagram is lost on a healthy link. Streams are reliable.
 *
 * A crashed host's waiting segments are dropped (it retransmits nothing).
 *
 * Invariants: delivery order is a function of the seed and the sends; held or partitioned
 * stream segments are released in their sending order. Why 10.0.x.y: private, unlike any real
 * peer, and derived from the index, so addresses are stable across bounces.
 * Proved by test/sim/network.test.ts and test/sim/faults.test.ts.
 * @module
 */
import type { Rng } from '../prng.js';
import { Ev, type Trace } from '../trace.js';
import type { HostNode } from '../node.js';
import { PacketQueue, type Flow, type Packet } from './packet_queue.js';

export type { Flow };

/** What the network needs from the simulation. */
export interface NetHost {
  /** Virtual time, ms. */
  now(): number;
  /** The live incarnation of host `index`, or null while it is down. */
  nodeOf(index: number): HostNode | null;
  readonly trace: Trace;
}

/** Options of the network (from the `Sim` options). */
export interface NetOptions {
  latencyMs: readonly [number, number];
  lossRate: number;
}

interface Link {
  partitioned: boolean;
  held: boolean;
  /** Segments and datagrams waiting for repair/release, in sending order. */
  waiting: Packet[];
}

/** @internal */
export class SimNet {
  private readonly queue = new PacketQueue();
  private readonly links = new Map<number, Link>();
  private readonly names = new Map<string, number>();
  private readonly hostNames: string[] = [];
  private seq = 0;
  /** Bound TCP listeners and UDP sockets, by `index:port`. */
  readonly tcpPorts = new Map<string, unknown>();
  readonly udpPorts = new Map<string, unknown>();
  private readonly ephemeral: number[] = [];

  constructor(
    readonly host: NetHost,
    private readonly rng: Rng,
    private readonly opts: NetOptions,
  ) {}

  /** Registers host `name` with index `index`. */
  addHost(name: string, index: number): void {
    this.names.set(name, index);
    this.hostNames[index] = name;
    this.ephemeral[index] = 49152;
  }

  /** The address of host `index`. */
  ipOf(index: number): string {
    return `10.0.${(index + 1) >> 8}.${(index + 1) & 0xff}`;
  }

  /** The name of host `index`. */
  nameOf(index: number): string {
    return this.hostNames[index] ?? `#${index}`;
  }

  /** The host index `host` names, seen from host `self`; null if it names none. */
  resolve(host: string, self: number): number | null {
    if (host === '127.0.0.1' || host === 'localhost' || host === '0.0.0.0' || host === '::1' || host === '::') return self;
    const byName = this.names.get(host);
    if (byName !== undefined) return byName;
    const m = /^10\.0\.(\d+)\.(\d+)$/.exec(host);
    if (m === null) return null;
    const idx = Number(m[1]) * 256 + Number(m[2]) - 1;
    return idx >= 0 && idx < this.hostNames.length ? idx : null;
  }

  /** A fresh ephemeral port on host `index`. */
  ephemeralPort(index: number, taken: Map<string, unknown>): number {
    for (;;) {
      const p = this.ephemeral[index] ?? 49152;
      this.ephemeral[index] = p >= 65535 ? 49152 : p + 1;
      if (!taken.has(`${index}:${p}`)) return p;
    }
  }

  // ---- faults --------------------------------------------------------------------------

  partition(a: number, b: number): void {
    this.link(a, b).partitioned = true;
  }

  repair(a: number, b: number): void {
    const l = this.link(a, b);
    l.partitioned = false;
    l.held = false;
    this.flush(l);
  }

  hold(a: number, b: number): void {
    this.link(a, b).held = true;
  }

  release(a: number, b: number): void {
    const l = this.link(a, b);
    l.held = false;
    if (!l.partitioned) this.flush(l);
  }

  /**
   * Host `index` crashed: segments it sent that still wait on a partition or hold are gone (a
   * dead host retransmits nothing). Packets already on the wire still arrive.
   */
  dropWaitingFrom(index: number): void {
    for (const l of this.links.values()) {
      if (l.waiting.length > 0) l.waiting = l.waiting.filter((p) => p.src !== index);
    }
  }

  // ---- sending and delivery ------------------------------------------------------------

  /**
   * Sends a packet from host `src` to host `dst`; `deliver` runs when it arrives. A datagram
   * may be lost (partition, loss rate); `flow` (streams) keeps the arrivals of one
   * connection in order. `syn`: a connection attempt (lost, not delayed, by a partition).
   */
  send(src: number, dst: number, size: number, deliver: () => void, flow: Flow | null, syn = false): void {
    const datagram = flow === null;
    const p: Packet = { at: 0, seq: this.seq++, src, dst, size, datagram, flow, deliver };
    const tr = this.host.trace;
    tr.event(Ev.Send, src, dst, size);
    if (src !== dst) {
      const l = this.links.get(key(src, dst));
      if (l !== undefined && (l.partitioned || l.held)) {
        if (l.partitioned && (datagram || syn)) {
          tr.event(Ev.Drop, src, dst, size);
          return;
        }
        l.waiting.push(p);
        return;
      }
      if (datagram && this.rng.chance(this.opts.lossRate)) {
        tr.event(Ev.Drop, src, dst, size);
        return;
      }
    }
    this.schedule(p, flow);
  }

  /** Delivery time of the next packet in flight (Infinity if none). */
  nextAt(): number {
    return this.queue.nextAt();
  }

  /** Delivers every packet due by `t`, in order. Returns how many were delivered. */
  deliverUntil(t: number): number {
    let n = 0;
    while (this.queue.nextAt() <= t) {
      const p = this.queue.pop()!;
      this.host.trace.event(Ev.Deliver, p.src, p.dst, p.size);
      n++;
      p.deliver();
    }
    return n;
  }

  /** Packets in flight (not counting held ones). */
  inFlight(): number {
    return this.queue.length;
  }

  /** Lines for deadlock reports: what is in flight and what waits on a fault. */
  describe(): string[] {
    const out: string[] = [];
    if (this.queue.length > 0) out.push(`network: ${this.queue.length} packet(s) in flight`);
    for (const [k, l] of this.links) {
      if (l.waiting.length === 0) continue;
      const a = this.nameOf(Math.floor(k / 65536));
      const b = this.nameOf(k % 65536);
      out.push(`network: ${l.waiting.length} packet(s) between ${a} and ${b} wait for ${l.partitioned ? 'repair' : 'release'}`);
    }
    return out;
  }

  private schedule(p: Packet, flow: Flow | null): void {
    const [min, max] = this.opts.latencyMs;
    let at = this.host.now() + (p.src === p.dst ? 0 : this.rng.range(min, max));
    if (flow !== null) {
      if (at < flow.lastAt) at = flow.lastAt;
      flow.lastAt = at;
    }
    p.at = at;
    this.queue.push(p);
  }

  private flush(l: Link): void {
    const w = l.waiting.splice(0);
    for (const p of w) {
      p.seq = this.seq++;
      this.schedule(p, p.flow);
    }
  }

  private link(a: number, b: number): Link {
    const k = key(a, b);
    let l = this.links.get(k);
    if (l === undefined) {
      l = { partitioned: false, held: false, waiting: [] };
      this.links.set(k, l);
    }
    return l;
  }
}

function key(a: number, b: number): number {
  return a < b ? a * 65536 + b : b * 65536 + a;
}
