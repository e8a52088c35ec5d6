/**
 * kyoto net: TCP, UDP and Unix sockets over the I/O driver (see docs/net.md).
 * @module
 */
export { SocketAddr, AddrParseError, parseAddr } from './addr.js';
export type { ToSocketAddr } from './addr.js';
export { SocketStream, MAX_WRITE } from './socket_stream.js';
export { SocketListener, DEFAULT_BACKLOG } from './listener.js';
export type { ListenerOptions } from './listener.js';
export { TcpListener, TcpStream } from './tcp.js';
export { ReadHalf, WriteHalf } from './split.js';
export { UnixListener, UnixStream } from './unix.js';
export { UdpSocket } from './udp.js';
export type { UdpOptions } from './udp.js';
