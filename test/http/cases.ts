/**
 * The raw requests of the differential parser suite: valid and malformed HTTP/1.1 requests,
 * smuggling vectors among them. Each is sent as is, followed by a terminating
 * `GET /end` request with `Connection: close`, so a connection always ends without a timer.
 */
const H = 'Host: x\r\n';

/** One case: a name and the exact bytes sent. */
export interface RawCase {
  name: string;
  raw: string;
  /** The request closes the connection itself: no terminating request is sent after it. */
  closes?: boolean;
  /** A deliberate difference from node:http, documented in docs/http.md. */
  differs?: string;
}

function c(name: string, raw: string, more: Partial<RawCase> = {}): RawCase {
  return { name, raw, ...more };
}

export const CASES: RawCase[] = [
  // valid
  c('simple GET', `GET / HTTP/1.1\r\n${H}\r\n`),
  c('GET with query', `GET /a/b?c=d&e=f HTTP/1.1\r\n${H}\r\n`),
  c('HTTP/1.0 GET', 'GET /old HTTP/1.0\r\n\r\n', { closes: true }),
  c('HTTP/1.0 keep-alive', 'GET /old HTTP/1.0\r\nConnection: keep-alive\r\n\r\n', {
    differs: 'node closes an HTTP/1.0 keep-alive connection when the handler sets no Content-Length; kyoto always sends one and keeps it',
  }),
  c('POST content-length', `POST /p HTTP/1.1\r\n${H}Content-Length: 5\r\n\r\nhello`),
  c('POST zero length', `POST /p HTTP/1.1\r\n${H}Content-Length: 0\r\n\r\n`),
  c('chunked body', `POST /c HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n`),
  c('chunked uppercase hex', `POST /c HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n`),
  c('chunked with extension', `POST /c HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n3;name=value\r\nabc\r\n0\r\n\r\n`),
  c('chunked with trailers', `POST /c HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-Trailer: t\r\n\r\n`),
  c('chunked leading zeros', `POST /c HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n0003\r\nabc\r\n0\r\n\r\n`),
  c('TE gzip, chunked', `POST /c HTTP/1.1\r\n${H}Transfer-Encoding: gzip, chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n`),
  c('TE Chunked mixed case', `POST /c HTTP/1.1\r\n${H}Transfer-Encoding: ChUnKeD\r\n\r\n3\r\nabc\r\n0\r\n\r\n`),
  c('pipelined two', `GET /1 HTTP/1.1\r\n${H}\r\nGET /2 HTTP/1.1\r\n${H}\r\n`),
  c('pipelined with bodies', `POST /1 HTTP/1.1\r\n${H}Content-Length: 2\r\n\r\nabPOST /2 HTTP/1.1\r\n${H}Content-Length: 1\r\n\r\nc`),
  c('header OWS trimmed', `GET / HTTP/1.1\r\n${H}X-A:   spaced value  \r\n\r\n`),
  c('header tab OWS', `GET / HTTP/1.1\r\n${H}X-A:\tv\t\r\n\r\n`),
  c('empty header value', `GET / HTTP/1.1\r\n${H}X-Empty:\r\n\r\n`),
  c('duplicate headers', `GET / HTTP/1.1\r\n${H}X-D: 1\r\nX-D: 2\r\n\r\n`),
  c('header name symbols', `GET / HTTP/1.1\r\n${H}X-!#$%&'*+.^_\`|~: ok\r\n\r\n`),
  c('obs-text in value', `GET / HTTP/1.1\r\n${H}X-Latin: caf\xe9\r\n\r\n`),
  c('value with colon', `GET / HTTP/1.1\r\n${H}X-Url: http://a:1/b\r\n\r\n`),
  c('absolute-form URL', `GET http://example.com/abs?q=1 HTTP/1.1\r\n${H}\r\n`),
  c('asterisk OPTIONS', `OPTIONS * HTTP/1.1\r\n${H}\r\n`),
  c('DELETE', `DELETE /r/1 HTTP/1.1\r\n${H}\r\n`),
  c('PATCH with body', `PATCH /r HTTP/1.1\r\n${H}Content-Length: 2\r\n\r\n{}`),
  c('M-SEARCH method', `M-SEARCH * HTTP/1.1\r\n${H}\r\n`),
  c('QUERY method', `QUERY /q HTTP/1.1\r\n${H}Content-Length: 1\r\n\r\nq`),
  c('leading CRLF before request', `\r\nGET /lead HTTP/1.1\r\n${H}\r\n`),
  c('url with percent and plus', `GET /a%20b+c HTTP/1.1\r\n${H}\r\n`),
  c('url with fragment', `GET /a#frag HTTP/1.1\r\n${H}\r\n`),
  c('content-length leading zeros', `POST /p HTTP/1.1\r\n${H}Content-Length: 003\r\n\r\nabc`),
  c('many headers', `GET / HTTP/1.1\r\n${H}${Array.from({ length: 50 }, (_, i) => `X-H${i}: v${i}\r\n`).join('')}\r\n`),
  c('Expect 100-continue with body', `POST /e HTTP/1.1\r\n${H}Expect: 100-continue\r\nContent-Length: 2\r\n\r\nok`),
  c('Connection close', `GET / HTTP/1.1\r\n${H}Connection: close\r\n\r\n`, { closes: true }),
  c('HTTP/1.0 POST with body', 'POST /old HTTP/1.0\r\nContent-Length: 3\r\n\r\nabc', { closes: true }),
  c('HEAD request', `HEAD /h HTTP/1.1\r\n${H}\r\n`),
  c('long but allowed header', `GET / HTTP/1.1\r\n${H}X-Long: ${'a'.repeat(8000)}\r\n\r\n`),
  // malformed: request line
  c('lowercase method', `get / HTTP/1.1\r\n${H}\r\n`),
  c('unknown method', `FOO / HTTP/1.1\r\n${H}\r\n`),
  c('missing version', `GET /\r\n${H}\r\n`, { differs: 'HTTP/0.9 request line: node parses it as a request, kyoto rejects it with 400' }),
  c('bad version text', `GET / HTTX/1.1\r\n${H}\r\n`),
  c('HTTP/1.2', `GET / HTTP/1.2\r\n${H}\r\n`),
  c('HTTP/2.0 on h1', `GET / HTTP/2.0\r\n${H}\r\n`, { differs: 'HTTP/2.0 in an HTTP/1 request line: node serves it once, kyoto rejects it with 400' }),
  c('two-digit version', `GET / HTTP/11.1\r\n${H}\r\n`),
  c('space in url', `GET /a b HTTP/1.1\r\n${H}\r\n`),
  c('non-ASCII in url', `GET /caf\xe9 HTTP/1.1\r\n${H}\r\n`),
  c('DEL in url', `GET /a\x7fb HTTP/1.1\r\n${H}\r\n`),
  c('two spaces after method', `GET  / HTTP/1.1\r\n${H}\r\n`),
  c('two spaces before version', `GET /  HTTP/1.1\r\n${H}\r\n`),
  c('trailing space after version', `GET / HTTP/1.1 \r\n${H}\r\n`),
  c('control char in url', `GET /a\x01b HTTP/1.1\r\n${H}\r\n`),
  c('tab before url', `GET\t/ HTTP/1.1\r\n${H}\r\n`),
  c('bare LF after request line', `GET / HTTP/1.1\n${H}\r\n`),
  c('bare LF everywhere', 'GET / HTTP/1.1\nHost: x\n\n'),
  c('bare CR in request line', `GET / HTTP/1.1\rX\r\n${H}\r\n`),
  c('missing Host on 1.1', 'GET / HTTP/1.1\r\n\r\n'),
  // malformed: headers
  c('space before colon', `GET / HTTP/1.1\r\n${H}X-A : v\r\n\r\n`),
  c('no colon', `GET / HTTP/1.1\r\n${H}NoColon\r\n\r\n`),
  c('empty header name', `GET / HTTP/1.1\r\n${H}: v\r\n\r\n`),
  c('invalid char in name', `GET / HTTP/1.1\r\n${H}X(A): v\r\n\r\n`),
  c('NUL in value', `GET / HTTP/1.1\r\n${H}X-A: a\x00b\r\n\r\n`),
  c('control char in value', `GET / HTTP/1.1\r\n${H}X-A: a\x07b\r\n\r\n`),
  c('DEL in value', `GET / HTTP/1.1\r\n${H}X-A: a\x7fb\r\n\r\n`),
  c('obs-fold', `GET / HTTP/1.1\r\n${H}X-A: one\r\n two\r\n\r\n`),
  c('obs-fold tab', `GET / HTTP/1.1\r\n${H}X-A: one\r\n\ttwo\r\n\r\n`),
  c('bare LF in header', `GET / HTTP/1.1\r\n${H}X-A: v\n\r\n`),
  c('bare CR in value', `GET / HTTP/1.1\r\n${H}X-A: a\rb\r\n\r\n`),
  c('header line too big', `GET / HTTP/1.1\r\n${H}X-Long: ${'a'.repeat(17000)}\r\n\r\n`),
  c('url too long', `GET /${'u'.repeat(17000)} HTTP/1.1\r\n${H}\r\n`),
  c('too many header bytes', `GET / HTTP/1.1\r\n${H}${Array.from({ length: 400 }, (_, i) => `X-H${i}: ${'v'.repeat(40)}\r\n`).join('')}\r\n`),
  // smuggling vectors
  c('CL and TE', `POST / HTTP/1.1\r\n${H}Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n`),
  c('TE and CL', `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n3\r\nabc\r\n0\r\n\r\n`),
  c('duplicate CL same value', `POST / HTTP/1.1\r\n${H}Content-Length: 3\r\nContent-Length: 3\r\n\r\nabc`),
  c('duplicate CL different', `POST / HTTP/1.1\r\n${H}Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd`),
  c('CL list', `POST / HTTP/1.1\r\n${H}Content-Length: 3, 3\r\n\r\nabc`),
  c('CL negative', `POST / HTTP/1.1\r\n${H}Content-Length: -1\r\n\r\n`),
  c('CL plus sign', `POST / HTTP/1.1\r\n${H}Content-Length: +3\r\n\r\nabc`),
  c('CL hex', `POST / HTTP/1.1\r\n${H}Content-Length: 0x3\r\n\r\nabc`),
  c('CL empty', `POST / HTTP/1.1\r\n${H}Content-Length: \r\n\r\n`),
  c('CL inner space', `POST / HTTP/1.1\r\n${H}Content-Length: 1 2\r\n\r\n`),
  c('CL overflow', `POST / HTTP/1.1\r\n${H}Content-Length: 99999999999999999999999\r\n\r\n`),
  c('TE not chunked last', `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked, gzip\r\n\r\n3\r\nabc\r\n0\r\n\r\n`),
  c('TE identity', `POST / HTTP/1.1\r\n${H}Transfer-Encoding: identity\r\n\r\n`),
  c('TE chunkedx', `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunkedx\r\n\r\n3\r\nabc\r\n0\r\n\r\n`),
  c('TE with space in name', `POST / HTTP/1.1\r\n${H}Transfer-Encoding : chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n`),
  c('TE obs-fold', `POST / HTTP/1.1\r\n${H}Transfer-Encoding:\r\n chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n`),
  c('two TE headers', `POST / HTTP/1.1\r\n${H}Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n`),
  // malformed chunked bodies
  c('chunk size not hex', `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n`),
  c('chunk size negative', `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n-3\r\nabc\r\n0\r\n\r\n`),
  c('chunk size overflow', `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFF\r\nabc\r\n0\r\n\r\n`),
  c('chunk size with space', `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n3 \r\nabc\r\n0\r\n\r\n`),
  c('chunk data too long', `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n0\r\n\r\n`),
  c('chunk missing CRLF after data', `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n3\r\nabcXY0\r\n\r\n`),
  c('chunk bare LF after size', `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n3\nabc\r\n0\r\n\r\n`),
  c('chunk empty size line', `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n\r\nabc\r\n0\r\n\r\n`),
  c('chunk bad extension char', `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n3;\x01\r\nabc\r\n0\r\n\r\n`),
];
