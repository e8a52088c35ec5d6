/**
 * kyoto io: `IoError`, `BufReader`, `copy`, `copyBidirectional` and the `Framed` codecs
 * (see docs/net.md).
 * @module
 */
export { IoError, toIoError } from './error.js';
export type { AsyncRead, AsyncWrite, AsyncReadWrite } from './traits.js';
export { BufReader } from './buf_reader.js';
export { stdin, stdout, stderr, Stdin, Stdout, Stderr } from './stdio.js';
export type { BufReaderOptions } from './buf_reader.js';
export { copy, copyBidirectional } from './copy.js';
export { LinesCodec, LengthDelimitedCodec } from './codec.js';
export type { Decoder, Encoder, Codec, LengthDelimitedOptions } from './codec.js';
export { Framed, FramedRead, FramedWrite } from './framed.js';
export { Registration, READABLE, WRITABLE, READ_CLOSED, WRITE_CLOSED, ERROR, DEREGISTERED } from '../runtime/io/registration.js';
export type { RegistrationOwner } from '../runtime/io/registration.js';
export { IoDriver, IO_KEY, ioDriver } from '../runtime/io/driver.js';
export type { IoCounters } from '../runtime/io/driver.js';
