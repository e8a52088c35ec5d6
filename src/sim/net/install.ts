/**
 * How application code reaches the simulated network unchanged: for the duration of
 * `sim.run()`, `TcpListener.bind`, `TcpStream.connect` and `UdpSocket.bind` answer with
 * simulated sockets when called from inside a simulated host, and behave as always elsewhere.
 *
 * Invariants: `uninstall` restores the original functions; outside a host poll the originals
 * run. Proved by test/sim/network.test.ts.
 * @module
 */
import { TcpListener, TcpStream } from '../../net/tcp.js';
import { UdpSocket } from '../../net/udp.js';
import type { SimNet } from './network.js';
import { setActiveNet } from './context.js';
import { simBind, simConnect } from './tcp_listener.js';
import { simUdpBind } from './udp.js';

type AnyFn = (...args: never[]) => unknown;

/** @internal Routes the socket constructors to `net` while a host is polled; returns the undo. */
export function installNet(net: SimNet): () => void {
  setActiveNet(net);
  const undo: (() => void)[] = [];
  const swap = (cls: object, key: string, sim: AnyFn): void => {
    const own = Object.getOwnPropertyDescriptor(cls, key);
    const orig = (cls as Record<string, AnyFn>)[key]!;
    Object.defineProperty(cls, key, {
      configurable: true,
      writable: true,
      value: function (this: unknown, ...args: never[]): unknown {
        return net.host.polling() !== null ? sim(...args) : orig.apply(this, args);
      },
    });
    undo.push(() => {
      if (own !== undefined) Object.defineProperty(cls, key, own);
      else delete (cls as Record<string, unknown>)[key];
    });
  };
  swap(TcpStream, 'connect', simConnect as AnyFn);
  swap(TcpListener, 'bind', simBind as AnyFn);
  swap(UdpSocket, 'bind', simUdpBind as AnyFn);
  return () => {
    for (const u of undo.reverse()) u();
    setActiveNet(null);
  };
}
