/**
 * Socket addresses: `SocketAddr` and the parsing of `'host:port'`, port numbers and
 * `{ host, port }`.
 * @module
 */
import { builtin } from '../util/node_builtins.js';

/**
 * Thrown for an address that cannot be parsed.
 *
 * @example
 * ```ts
 * try { TcpListener.bind('localhost'); } catch (e) { if (e instanceof AddrParseError) console.error(e.message); }
 * ```
 */
export class AddrParseError extends TypeError {
  override name = 'AddrParseError';
}

/** What the bind/connect functions accept: `'127.0.0.1:8080'`, `'[::1]:80'`, `8080`, `{ host, port }`. */
export type ToSocketAddr = string | number | { host?: string; port: number } | SocketAddr;

/**
 * An IP address and port, as Tokio's `SocketAddr`.
 *
 * @example
 * ```ts
 * const [stream, addr] = yield* listener.accept();
 * console.log(`${addr}`, addr.ip, addr.port); // 127.0.0.1:51234 127.0.0.1 51234
 * ```
 */
export class SocketAddr {
  constructor(
    readonly ip: string,
    readonly port: number,
  ) {}
  /** 'IPv4' or 'IPv6'. */
  get family(): 'IPv4' | 'IPv6' {
    return this.ip.includes(':') ? 'IPv6' : 'IPv4';
  }
  /**
   * @example
   * ```ts
   * if (addr.isIpv4()) console.log(addr.ip);
   * ```
   */
  isIpv4(): boolean {
    return !this.ip.includes(':');
  }
  /**
   * @example
   * ```ts
   * if (addr.isIpv6()) console.log(`[${addr.ip}]`);
   * ```
   */
  isIpv6(): boolean {
    return this.ip.includes(':');
  }
  /**
   * `ip:port`, with brackets around IPv6 addresses.
   *
   * @example
   * ```ts
   * console.log(`${listener.localAddr()}`); // 127.0.0.1:8080
   * ```
   */
  toString(): string {
    return this.ip.includes(':') ? `[${this.ip}]:${this.port}` : `${this.ip}:${this.port}`;
  }
  /**
   * @example
   * ```ts
   * JSON.stringify({ peer: addr }); // {"peer":"127.0.0.1:51234"}
   * ```
   */
  toJSON(): string {
    return this.toString();
  }
}

function checkPort(port: unknown, input: unknown): number {
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`invalid port ${String(port)} in address ${JSON.stringify(input)}: a port is an integer in 0..65535`);
  }
  return port;
}

/**
 * Parses an address. A bare port means `defaultHost` (`'0.0.0.0'` for bind, `'127.0.0.1'` for
 * connect).
 *
 * @example
 * ```ts
 * parseAddr('127.0.0.1:0');            // { host: '127.0.0.1', port: 0 }
 * parseAddr('[::1]:8080');             // { host: '::1', port: 8080 }
 * parseAddr(8080, '127.0.0.1');        // { host: '127.0.0.1', port: 8080 }
 * ```
 */
export function parseAddr(addr: ToSocketAddr, defaultHost = '0.0.0.0'): { host: string; port: number } {
  if (addr instanceof SocketAddr) return { host: addr.ip, port: addr.port };
  if (typeof addr === 'number') return { host: defaultHost, port: checkPort(addr, addr) };
  if (typeof addr === 'string') {
    const s = addr.trim();
    let host: string;
    let portStr: string;
    if (s.startsWith('[')) {
      const end = s.indexOf(']');
      if (end < 0 || s[end + 1] !== ':') throw new AddrParseError(`invalid socket address ${JSON.stringify(addr)}: expected '[ipv6]:port'`);
      host = s.slice(1, end);
      portStr = s.slice(end + 2);
    } else {
      const i = s.lastIndexOf(':');
      if (i < 0) {
        if (/^\d+$/.test(s)) return { host: defaultHost, port: checkPort(Number(s), addr) };
        throw new AddrParseError(`invalid socket address ${JSON.stringify(addr)}: expected 'host:port'`);
      }
      host = s.slice(0, i);
      portStr = s.slice(i + 1);
      if (host.includes(':')) throw new AddrParseError(`invalid socket address ${JSON.stringify(addr)}: put IPv6 addresses in brackets, '[::1]:80'`);
    }
    if (!/^\d+$/.test(portStr)) throw new AddrParseError(`invalid port ${JSON.stringify(portStr)} in socket address ${JSON.stringify(addr)}`);
    if (host === '') host = defaultHost;
    if (host.startsWith('[') || (host.includes(':') && builtin('node:net').isIP(host) === 0)) {
      throw new AddrParseError(`invalid host ${JSON.stringify(host)} in socket address ${JSON.stringify(addr)}`);
    }
    return { host, port: checkPort(Number(portStr), addr) };
  }
  if (addr !== null && typeof addr === 'object' && 'port' in addr) {
    const host = addr.host ?? defaultHost;
    if (typeof host !== 'string' || host === '') throw new AddrParseError(`invalid host ${JSON.stringify(host)} in address ${JSON.stringify(addr)}`);
    return { host, port: checkPort(addr.port, addr) };
  }
  throw new AddrParseError(`invalid socket address ${JSON.stringify(addr)}: use 'host:port', a port number or { host, port }`);
}

/**
 * `host:port` for messages (IPv6 hosts in brackets).
 *
 * @example
 * ```ts
 * formatAddr('::1', 80); // '[::1]:80'
 * ```
 */
export function formatAddr(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
