/**
 * kyoto io: the `AsyncRead` / `AsyncWrite` traits, their generic futures, `IoError`, `BufReader`,
 * `copy`, `copyBidirectional` and the `Framed` codecs
 * (see docs/net.md).
 * @module
 */
export { IoError, toIoError } from './error.js';
export type { AsyncRead, AsyncWrite, AsyncBufRead, AsyncReadWrite } from './traits.js';
export type { FutureRead, FutureWrite } from './compat.js';
export { asAsyncRead, asAsyncWrite } from './compat.js';
export { BufReader } from './buf_reader.js';
export { stdin, stdout, stderr, Stdin, Stdout, Stderr } from './stdio.js';
export type { BufReaderOptions } from './buf_reader.js';
export { BufWriter } from './buf_writer.js';
export type { BufWriterOptions } from './buf_writer.js';
export { read, readChunk } from './util/read.js';
export { readExact } from './util/read_exact.js';
export { readToEnd } from './util/read_to_end.js';
export { write, writeAll, writeChunk } from './util/write.js';
export { flush, shutdown } from './util/flush.js';
export { copy, copyBidirectional } from './util/copy.js';
export { LinesCodec, LengthDelimitedCodec } from './codec.js';
export type { Decoder, Encoder, Codec, LengthDelimitedOptions } from './codec.js';
export { Framed, FramedRead, FramedWrite } from './framed.js';
export { Registration, READABLE, WRITABLE, READ_CLOSED, WRITE_CLOSED, ERROR, DEREGISTERED } from '../runtime/io/registration.js';
export type { RegistrationOwner } from '../runtime/io/registration.js';
export { IoDriver, IO_KEY, ioDriver } from '../runtime/io/driver.js';
export type { IoCounters } from '../runtime/io/driver.js';
