import { describe, expect, it } from 'vitest';
import { BodyReader, FramingError, readHead, requestBody, responseBody } from './http-framing';

const b = (s: string): Buffer => Buffer.from(s, 'latin1');

/** Feeds `bytes` to a reader in pieces of `size`; returns what it consumed, its content, and whether it ended. */
function feed(reader: BodyReader, bytes: Buffer, size: number): { used: number; content: string; done: boolean } {
  let used = 0;
  let content = '';
  for (let at = 0; at < bytes.length && !reader.done; at += size) {
    const piece = bytes.subarray(at, Math.min(at + size, bytes.length));
    const n = reader.read(piece, 0, (d) => (content += d.toString('latin1')));
    used += n;
    if (n < piece.length) break;
  }
  return { used, content, done: reader.done };
}

describe('readHead', () => {
  it('reads a request head and says where it ends, waiting while it is incomplete', () => {
    const text = 'POST /v1.41/containers/create?name=web1 HTTP/1.1\r\nHost: api.moby.localhost\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}';
    expect(readHead(b(text.slice(0, 40)), 'request')).toBeUndefined();
    const head = readHead(b(text), 'request')!;
    expect(head.start).toEqual(['POST', '/v1.41/containers/create?name=web1', 'HTTP/1.1']);
    expect(head.length).toBe(text.length - 2);
    expect(head.headers.get('content-type')).toBe('application/json');
    expect(head.lines[0]).toBe('Host: api.moby.localhost');
  });

  it('reads an answer head, its reason optional', () => {
    expect(readHead(b('HTTP/1.1 101 UPGRADED\r\nUpgrade: tcp\r\n\r\n'), 'response')!.start).toEqual(['HTTP/1.1', '101', 'UPGRADED']);
    expect(readHead(b('HTTP/1.1 204\r\n\r\n'), 'response')!.start[1]).toBe('204');
  });

  it('refuses what is not HTTP/1, folded or malformed header lines, and heads without end', () => {
    expect(() => readHead(b('GARBAGE\r\n\r\n'), 'request')).toThrow(FramingError);
    expect(() => readHead(b('GET / HTTP/2.0\r\n\r\n'), 'request')).toThrow(FramingError);
    expect(() => readHead(b('GET /_ping HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n'), 'request')).toThrow(FramingError);
    expect(() => readHead(b('GET /_ping HTTP/1.1\r\nBad Name: x\r\n\r\n'), 'request')).toThrow(FramingError);
    expect(() => readHead(b('GET /_ping HTTP/1.1\r\nX: a\rb\r\n\r\n'), 'request')).toThrow(FramingError);
    expect(() => readHead(b(`GET /_ping HTTP/1.1\r\nX: ${'a'.repeat(70_000)}`), 'request')).toThrow(/too large/);
  });
});

describe('body framing', () => {
  const head = (lines: string): ReturnType<typeof readHead> & object => readHead(b(`POST /build HTTP/1.1\r\n${lines}\r\n`), 'request')!;

  it('of a request: a length, chunks, or none; never both, never another coding', () => {
    expect(requestBody(head('Content-Length: 5\r\n'))).toEqual({ mode: 'length', length: 5 });
    expect(requestBody(head('Content-Length: 0\r\n'))).toEqual({ mode: 'none' });
    expect(requestBody(head('Transfer-Encoding: chunked\r\n'))).toEqual({ mode: 'chunked' });
    expect(requestBody(head('Host: x\r\n'))).toEqual({ mode: 'none' });
    expect(() => requestBody(head('Content-Length: 5\r\nTransfer-Encoding: chunked\r\n'))).toThrow(FramingError);
    expect(() => requestBody(head('Transfer-Encoding: gzip, chunked\r\n'))).toThrow(FramingError);
    expect(() => requestBody(head('Content-Length: 5\r\nContent-Length: 6\r\n'))).toThrow(FramingError);
    expect(() => requestBody(head('Content-Length: -1\r\n'))).toThrow(FramingError);
  });

  it('of an answer: none for HEAD, 1xx, 204 and 304; to the close without a length', () => {
    const answer = (text: string) => readHead(b(text), 'response')!;
    expect(responseBody(answer('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n'), 'HEAD')).toEqual({ mode: 'none' });
    expect(responseBody(answer('HTTP/1.1 204 No Content\r\n\r\n'), 'DELETE')).toEqual({ mode: 'none' });
    expect(responseBody(answer('HTTP/1.1 304 Not Modified\r\n\r\n'), 'POST')).toEqual({ mode: 'none' });
    expect(responseBody(answer('HTTP/1.1 200 OK\r\nContent-Length: 794\r\n\r\n'), 'GET')).toEqual({ mode: 'length', length: 794 });
    expect(responseBody(answer('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n'), 'GET')).toEqual({ mode: 'chunked' });
    expect(responseBody(answer('HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.raw-stream\r\n\r\n'), 'POST')).toEqual({ mode: 'close' });
  });
});

describe('BodyReader', () => {
  const chunked = b('5\r\nhello\r\n1;ext=1\r\n \r\nA\r\n0123456789\r\n0\r\nTrailer: x\r\n\r\nNEXT');

  it('follows chunks to their end in any split, takes the framing off, and leaves what follows', () => {
    for (const size of [1, 2, 3, 7, 1000]) {
      const got = feed(new BodyReader({ mode: 'chunked' }), chunked, size);
      expect(got, `pieces of ${size}`).toEqual({ used: chunked.length - 4, content: 'hello 0123456789', done: true });
    }
  });

  it('stops at a length, and reads to the close without one', () => {
    expect(feed(new BodyReader({ mode: 'length', length: 5 }), b('hello, more'), 3)).toEqual({ used: 5, content: 'hello', done: true });
    const close = new BodyReader({ mode: 'close' });
    expect(feed(close, b('all of it'), 4)).toEqual({ used: 9, content: 'all of it', done: false });
    expect(close.endsWithClose).toBe(true);
    expect(new BodyReader({ mode: 'none' }).done).toBe(true);
  });

  it('refuses broken chunks: a bad size, data without its CRLF, a size line without CR', () => {
    expect(() => new BodyReader({ mode: 'chunked' }).read(b('zz\r\n'), 0)).toThrow(FramingError);
    expect(() => new BodyReader({ mode: 'chunked' }).read(b('2\r\nabX\r\n'), 0)).toThrow(FramingError);
    expect(() => new BodyReader({ mode: 'chunked' }).read(b('2\nab\r\n'), 0)).toThrow(FramingError);
    expect(() => new BodyReader({ mode: 'chunked' }).read(b(`${'1'.repeat(5000)}`), 0)).toThrow(FramingError);
  });
});
