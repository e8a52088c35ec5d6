/**
 * kyoto/http: an HTTP/1.1 server where every request is a task (cancelled when its client
 * goes away), a node:http adapter, and a cancellable `fetch` (see docs/http.md).
 * @module
 */
export { serve, HttpServer } from './server.js';
export type { HttpMetrics, ShutdownOptions } from './server.js';
export type { ServeOptions } from './options.js';
export type { Handler } from './connection.js';
export { HttpRequest } from './request.js';
export { RequestBody, BodyStream } from './body.js';
export { HttpHeaders } from './headers.js';
export { Response } from './response.js';
export type { ResponseBody, ResponseInit, HeadersInit, BodyReader } from './response.js';
export { HttpParseError, PayloadTooLargeError, ClientDisconnectedError } from './errors.js';
export { HeadParser, NEED_MORE } from './parser.js';
export { BodyDecoder } from './chunked.js';
export { toNodeHandler } from './node_handler.js';
export type { NodeHandler, NodeHandlerOptions } from './node_handler.js';
export { UpgradeUnavailableError } from './node_request.js';
export { fetch, FetchResponse } from './fetch.js';
