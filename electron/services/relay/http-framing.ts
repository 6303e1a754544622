// HTTP/1.1 framing for the lab relay, which passes bytes as they come and
// reads only what it needs: where a request or an answer starts and ends, its
// start line and headers, and (for the few it records or labels) its body.
// Strict on what a learner's client sends (anything unusual is refused, never
// guessed at), as the engine's own parser is; lenient nowhere.

export class FramingError extends Error {}

export interface Head {
  /** The head's bytes, up to and including the blank line. */
  length: number;
  /** The start line's parts: [method, target, version] or [version, status, reason]. */
  start: [string, string, string];
  /** Header lines as received, in order. */
  lines: string[];
  /** Lower-cased names → values (repeated names joined by ", "). */
  headers: Map<string, string>;
}

/** Heads larger than this are refused (Go's default limit is 1 MiB; Docker's are a few hundred bytes). */
export const MAX_HEAD = 64 * 1024;
const MAX_HEADERS = 128;

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const REQUEST_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) ([^\s]+) (HTTP\/1\.[01])$/;
const STATUS_LINE = /^(HTTP\/1\.[01]) (\d{3})(?: ([^\r\n]*))?$/;

/** Finds and reads a head at the start of `buf`: undefined while it is incomplete. */
export function readHead(buf: Buffer, kind: 'request' | 'response'): Head | undefined {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) {
    if (buf.length > MAX_HEAD) throw new FramingError('head too large');
    return undefined;
  }
  if (end > MAX_HEAD) throw new FramingError('head too large');
  const text = buf.toString('latin1', 0, end);
  const [first = '', ...lines] = text.split('\r\n');
  const m = (kind === 'request' ? REQUEST_LINE : STATUS_LINE).exec(first);
  if (!m) throw new FramingError(`not an HTTP/1 ${kind} line`);
  if (lines.length > MAX_HEADERS) throw new FramingError('too many headers');
  const headers = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon) : '';
    // No folded lines, no bare CR or LF, no space before the colon.
    if (!TOKEN.test(name) || /[\r\n\0]/.test(line)) throw new FramingError('malformed header line');
    const key = name.toLowerCase();
    const value = line.slice(colon + 1).trim();
    const seen = headers.get(key);
    headers.set(key, seen === undefined ? value : `${seen}, ${value}`);
  }
  return { length: end + 4, start: [m[1] as string, m[2] as string, m[3] ?? ''], lines, headers };
}

export type BodyKind = { mode: 'none' } | { mode: 'length'; length: number } | { mode: 'chunked' } | { mode: 'close' };

/** How a request's body is framed; a head that could be read two ways is refused. */
export function requestBody(head: Head): BodyKind {
  const te = head.headers.get('transfer-encoding');
  const cl = head.headers.get('content-length');
  if (te !== undefined) {
    if (cl !== undefined || te.toLowerCase() !== 'chunked') throw new FramingError('unsupported transfer-encoding');
    return { mode: 'chunked' };
  }
  if (cl === undefined) return { mode: 'none' };
  if (!/^\d{1,15}$/.test(cl)) throw new FramingError('bad content-length');
  const length = Number(cl);
  return length === 0 ? { mode: 'none' } : { mode: 'length', length };
}

/** How an answer's body is framed, given the request's method (RFC 9112 §6.3). */
export function responseBody(head: Head, method: string): BodyKind {
  const status = Number(head.start[1]);
  if (method === 'HEAD' || status === 204 || status === 304 || (status >= 100 && status < 200)) return { mode: 'none' };
  const te = head.headers.get('transfer-encoding');
  if (te !== undefined) {
    if (!/(?:^|,)\s*chunked\s*$/i.test(te)) return { mode: 'close' };
    return { mode: 'chunked' };
  }
  const cl = head.headers.get('content-length');
  if (cl === undefined) return { mode: 'close' };
  if (!/^\d{1,15}$/.test(cl)) throw new FramingError('bad content-length');
  const length = Number(cl);
  return length === 0 ? { mode: 'none' } : { mode: 'length', length };
}

const MAX_CHUNK_LINE = 4096;

/**
 * Follows one body through the bytes that carry it: how many belong to it, whether it has ended,
 * and (when asked) its content, with chunked framing taken off.
 */
export class BodyReader {
  done: boolean;
  private remaining = 0;
  private state: 'size' | 'data' | 'data-end' | 'trailer' = 'size';
  private line = '';

  constructor(private readonly kind: BodyKind) {
    this.done = kind.mode === 'none';
    if (kind.mode === 'length') this.remaining = kind.length;
  }

  /** Consumes what belongs to the body from buf[at…]; returns the count. `onData` gets the content. */
  read(buf: Buffer, at: number, onData?: (data: Buffer) => void): number {
    if (this.done) return 0;
    switch (this.kind.mode) {
      case 'close': {
        if (onData && at < buf.length) onData(buf.subarray(at));
        return buf.length - at;
      }
      case 'length': {
        const n = Math.min(this.remaining, buf.length - at);
        if (onData && n > 0) onData(buf.subarray(at, at + n));
        this.remaining -= n;
        this.done = this.remaining === 0;
        return n;
      }
      case 'chunked':
        return this.readChunked(buf, at, onData);
      default:
        return 0;
    }
  }

  /** The body ends with the connection (an answer without a length): true once it closed. */
  get endsWithClose(): boolean {
    return this.kind.mode === 'close';
  }

  private readChunked(buf: Buffer, start: number, onData?: (data: Buffer) => void): number {
    let at = start;
    while (at < buf.length && !this.done) {
      if (this.state === 'data') {
        const n = Math.min(this.remaining, buf.length - at);
        if (onData) onData(buf.subarray(at, at + n));
        at += n;
        this.remaining -= n;
        if (this.remaining === 0) {
          this.state = 'data-end';
          this.remaining = 2;
        }
        continue;
      }
      if (this.state === 'data-end') {
        const byte = buf[at];
        if (byte !== (this.remaining === 2 ? 0x0d : 0x0a)) throw new FramingError('chunk not followed by CRLF');
        at++;
        if (--this.remaining === 0) this.state = 'size';
        continue;
      }
      if (this.state === 'size' && this.line === '') {
        // The usual size line, whole in this buffer: read from the bytes (a stream has a million of them).
        let i = at;
        let size = 0;
        while (i < buf.length && i - at < 12) {
          const v = hexValue(buf[i] as number);
          if (v < 0) break;
          size = size * 16 + v;
          i++;
        }
        if (i > at && i + 1 < buf.length && buf[i] === 0x0d && buf[i + 1] === 0x0a) {
          at = i + 2;
          this.remaining = size;
          this.state = size === 0 ? 'trailer' : 'data';
          continue;
        }
      }
      // A size line (with an extension, or split between reads) or a trailer line, up to its LF.
      const lf = buf.indexOf(0x0a, at);
      const end = lf < 0 ? buf.length : lf;
      this.line += buf.toString('latin1', at, end);
      if (this.line.length > MAX_CHUNK_LINE) throw new FramingError('chunk line too long');
      at = lf < 0 ? buf.length : lf + 1;
      if (lf < 0) break;
      if (!this.line.endsWith('\r')) throw new FramingError('chunk line without CRLF');
      const line = this.line.slice(0, -1);
      this.line = '';
      if (this.state === 'trailer') {
        if (line === '') this.done = true;
        continue;
      }
      const size = /^([0-9a-fA-F]{1,12})(?:[ \t]*;.*)?$/.exec(line);
      if (!size) throw new FramingError('bad chunk size');
      this.remaining = parseInt(size[1] as string, 16);
      this.state = this.remaining === 0 ? 'trailer' : 'data';
    }
    return at - start;
  }
}

function hexValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x57;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x37;
  return -1;
}
