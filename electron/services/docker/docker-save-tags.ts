// The tags a `docker save` archive would give its images when the engine
// loads it, read while the archive streams past: the RepoTags of
// manifest.json, the repo:tag pairs of the legacy `repositories` file (read
// when manifest.json is absent) and the image names of an OCI index.json
// (what an engine with the containerd image store reads). Only those small
// files are kept in memory.
//
// The engine reads the archive with Go's archive/tar and unpacks it before it
// opens these files, so this walk follows Go wherever a reading could differ
// (pax and GNU long names, pax sizes, entry kinds without data, `./` and
// repeated names) and refuses what it cannot follow the same way: other entry
// kinds, sparse files, other tar dialects, a compressed archive, and a tag
// file that is a link or lies behind one. A refusal is always safe: the pack
// is then not loaded at all.
//
// Why by hand, when image-pack.ts uses node-tar for the pack's own headers: a
// reader that sees another file than Go at the same bytes lets a hostile pack
// hide a tag, and both tar libraries in our tree read such bytes otherwise
// (each case built and run against tar 7.5 and tar-stream 2.2, the one
// dockerode brings):
//  - node-tar's Header cuts a name at a NUL only up to the next newline:
//    `manifest.json\0\nx` is "manifest.json\nx" to it, manifest.json to Go.
//  - node-tar's Parser, like tar-stream, reads a link's size field worth of
//    bytes as its data; Go reads none, so a header hidden in those bytes is a
//    file to Go and data to them.
//  - tar-stream lets a pax path beat a GNU long name (Go: the long name wins),
//    applies a global pax path to the next entry that has a local pax header
//    (Go: to none), and reads on past the end-of-archive block.
// Their number readers differ from Go's as well (leading NULs, junk after the
// digits). A library walk would need every one of these patched back, which is
// this file again with a dependency under it, so the walk stays here, together
// with the few field readers it needs; docker-save-tags.test.ts holds a case
// for each trick.
import { createHash } from 'node:crypto';
import { posix } from 'node:path';

const BLOCK = 512;

/** Why the archive cannot be read the way the engine would read it. */
export class SaveArchiveRefused extends Error {
  override name = 'SaveArchiveRefused';
}

const TAG_FILES = new Set(['manifest.json', 'repositories', 'index.json']);
/** docker save writes a few KiB here; a bigger tag file is not one of its. */
const MAX_TAG_FILE = 16 * 1024 * 1024;
/** Go's archive/tar reads pax records and GNU long names up to this size. */
const MAX_META = 1024 * 1024;
/** containerd names an image by this annotation first, and by the OCI ref name only without it. */
const IMAGE_NAME = 'io.containerd.image.name';
const REF_NAME = 'org.opencontainers.image.ref.name';

const KINDS: Record<string, string> = {
  '1': 'a hard link',
  '2': 'a symbolic link',
  '3': 'a character device',
  '4': 'a block device',
  '5': 'a directory',
  '6': 'a FIFO',
  '7': 'a contiguous file',
  S: 'a GNU sparse file',
};

interface Capture {
  kind: 'pax' | 'long-name' | 'long-link' | 'tag-file' | 'config';
  name: string;
  chunks: Buffer[];
}

/** What an image's config says it is for. */
export interface ImageConfigPlatform {
  architecture: string;
  os: string;
  variant?: string;
}

/**
 * Feed it the archive's bytes in order with write(); end() returns every tag
 * the load would apply, or throws the first SaveArchiveRefused met on the way.
 * Given image ids, it also reads those images' configs (`<hex>.json` as docker
 * save wrote them before Docker 25, `blobs/sha256/<hex>` in its OCI layout
 * since): platforms() then says what each is for.
 */
export class SaveArchiveScanner {
  private readonly configIds: Set<string>;
  private readonly found = new Map<string, ImageConfigPlatform>();
  constructor(configIds: Iterable<string> = []) {
    this.configIds = new Set([...configIds].map((id) => id.replace(/^sha256:/, '')));
  }

  private refusal: SaveArchiveRefused | undefined;
  private readonly header = Buffer.alloc(BLOCK);
  private headerFill = 0;
  /** Data bytes left in the current entry, then its padding. */
  private remaining = 0;
  private pad = 0;
  private capture: Capture | undefined;
  private ended = false;
  // What meta entries say about the next real entry (Go forgets them after it).
  private pax: Record<string, string> | undefined;
  private longName: string | undefined;
  private readonly links = new Set<string>();
  private readonly tags = new Set<string>();

  write(chunk: Buffer): void {
    if (this.refusal) return;
    try {
      this.walk(chunk);
    } catch (err) {
      if (!(err instanceof SaveArchiveRefused)) throw err;
      this.refusal = err;
    }
  }

  /** Every tag found, as written in the archive. */
  end(): string[] {
    if (this.refusal) throw this.refusal;
    // Go ends cleanly at a header boundary even without the zero blocks; anywhere else it fails.
    if (!this.ended && (this.headerFill > 0 || this.remaining > 0 || this.pad > 0)) refuse('it ends inside an entry');
    return [...this.tags];
  }

  /** The platform of each asked-for image whose config the archive holds, by id (`sha256:…`); after end(). */
  platforms(): Map<string, ImageConfigPlatform> {
    return new Map(this.found);
  }

  private walk(chunk: Buffer): void {
    let i = 0;
    while (i < chunk.length && !this.ended) {
      if (this.remaining > 0) {
        const n = Math.min(this.remaining, chunk.length - i);
        this.capture?.chunks.push(Buffer.from(chunk.subarray(i, i + n)));
        this.remaining -= n;
        i += n;
        if (this.remaining === 0) this.finishEntry();
      } else if (this.pad > 0) {
        const n = Math.min(this.pad, chunk.length - i);
        this.pad -= n;
        i += n;
      } else {
        const n = Math.min(BLOCK - this.headerFill, chunk.length - i);
        chunk.copy(this.header, this.headerFill, i, i + n);
        this.headerFill += n;
        i += n;
        if (this.headerFill === BLOCK) {
          this.headerFill = 0;
          this.onHeader(this.header);
        }
      }
    }
  }

  private onHeader(h: Buffer): void {
    // A zero block ends the archive for Go (or is an error if data follows it): nothing after it is unpacked.
    if (h.every((b) => b === 0)) {
      this.ended = true;
      return;
    }
    const magic = h.toString('latin1', 257, 265);
    const ustar = magic === 'ustar\u000000';
    if (!ustar && magic !== 'ustar  \u0000') refuse('an entry header is not ustar, pax or GNU tar (a compressed or foreign archive?)');
    // star keeps other fields in part of the prefix: Go would read its names differently.
    if (ustar && h.toString('latin1', 508, 512) === 'tar\u0000') refuse('it is a star archive');
    const stored = parseNumber(h.subarray(148, 156));
    const { unsigned, signed } = checksums(h);
    if (stored === undefined || (stored !== unsigned && stored !== signed)) refuse('a header checksum is wrong');
    let size = parseNumber(h.subarray(124, 136));
    if (size === undefined || !Number.isSafeInteger(size)) refuse('an entry size is unreadable');
    let type = String.fromCharCode(h[156] ?? 0);
    const prefix = ustar ? cString(h, 345, 155) : '';
    let name = prefix ? `${prefix}/${cString(h, 0, 100)}` : cString(h, 0, 100);

    switch (type) {
      case 'x':
        return this.startData(size, { kind: 'pax', name, chunks: [] }, MAX_META);
      case 'g':
        // Go hands a global header back as an entry of its own: what came before it no longer applies.
        this.pax = undefined;
        this.longName = undefined;
        return this.startData(size, undefined);
      case 'L':
        return this.startData(size, { kind: 'long-name', name, chunks: [] }, MAX_META);
      case 'K':
        return this.startData(size, { kind: 'long-link', name, chunks: [] }, MAX_META);
    }

    // A real entry: the meta entries before it rename and resize it, pax first, then a GNU long name.
    if (this.pax?.path !== undefined) name = this.pax.path;
    if (this.pax?.size !== undefined) size = Number(this.pax.size);
    if (this.longName) name = this.longName;
    this.pax = undefined;
    this.longName = undefined;
    if (type === '\u0000') type = name.endsWith('/') ? '5' : '0';

    const path = cleanPath(name);
    const ancestors = path.split('/').slice(0, -1);
    for (let i = 1; i <= ancestors.length; i++) {
      const dir = ancestors.slice(0, i).join('/');
      if (this.links.has(dir)) refuse(`${name} lies behind the link ${dir}`);
    }
    if (type === '1' || type === '2' || type === '5') {
      if (TAG_FILES.has(path)) refuse(`it holds ${path} as ${KINDS[type]}, not a regular file`);
      if (type !== '5') this.links.add(path);
      // Go reads no data for these kinds, whatever the size field says.
      return this.startData(0, undefined);
    }
    if (type !== '0') refuse(`it holds ${name || 'an entry'} as ${KINDS[type] ?? `entry type "${type}"`}`);
    if (TAG_FILES.has(path)) return this.startData(size, { kind: 'tag-file', name: path, chunks: [] }, MAX_TAG_FILE);
    const config = /^(?:([0-9a-f]{64})\.json|blobs\/sha256\/([0-9a-f]{64}))$/.exec(path);
    const id = config?.[1] ?? config?.[2];
    if (id && this.configIds.has(id)) return this.startData(size, { kind: 'config', name: id, chunks: [] }, MAX_TAG_FILE);
    return this.startData(size, undefined);
  }

  private startData(size: number, capture: Capture | undefined, limit = Number.POSITIVE_INFINITY): void {
    if (size > limit) refuse(`${capture?.name || 'an entry'} is too big (${size} bytes)`);
    this.capture = capture;
    this.remaining = size;
    this.pad = padding(size);
    if (size === 0) this.finishEntry();
  }

  private finishEntry(): void {
    const capture = this.capture;
    this.capture = undefined;
    if (!capture) return;
    const data = Buffer.concat(capture.chunks);
    switch (capture.kind) {
      case 'pax':
        this.pax = parsePax(data);
        return;
      case 'long-name':
        this.longName = cString(data, 0, data.length);
        return;
      case 'long-link':
        return;
      case 'tag-file':
        for (const tag of tagsIn(capture.name, data.toString('utf8'))) this.tags.add(tag);
        return;
      case 'config': {
        const platform = platformIn(data);
        // Named by the hash of its bytes: a config under another image's name is not that image's.
        if (platform && createHash('sha256').update(data).digest('hex') === capture.name) this.found.set(`sha256:${capture.name}`, platform);
      }
    }
  }
}

/** The tags a whole archive held in a buffer would apply (tests, small archives). */
export function tagsOfSaveArchive(archive: Buffer): string[] {
  const scanner = new SaveArchiveScanner();
  scanner.write(archive);
  return scanner.end();
}

/** An image config's platform fields; undefined when it is not a config (an OCI manifest under the same kind of name). */
function platformIn(data: Buffer): ImageConfigPlatform | undefined {
  let config: unknown;
  try {
    config = JSON.parse(data.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof config !== 'object' || config === null) return undefined;
  const { architecture, os, variant } = config as Record<string, unknown>;
  if (typeof architecture !== 'string' || typeof os !== 'string') return undefined;
  return typeof variant === 'string' && variant ? { architecture, os, variant } : { architecture, os };
}

function refuse(why: string): never {
  throw new SaveArchiveRefused(why);
}

// ---- Header fields, as Go's archive/tar reads them (or refused) -----------------

/**
 * A numeric field: octal (space/NUL padded) or base-256 (first byte 0x80);
 * undefined when neither. Go also takes leading NULs and a few other spellings:
 * those are refused here, never read another way.
 */
export function parseNumber(field: Buffer): number | undefined {
  if (field.length > 0 && ((field[0] ?? 0) & 0x80) !== 0) {
    if (field[0] !== 0x80) return undefined; // negative or absurdly large
    let value = 0n;
    for (const b of field.subarray(1)) value = (value << 8n) | BigInt(b);
    return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : undefined;
  }
  const text = field.toString('latin1').replace(/[\u0000 ]+$/, '').replace(/^ +/, '');
  if (!/^[0-7]+$/.test(text)) return undefined;
  return parseInt(text, 8);
}

/** The header's sum with the checksum field as spaces, bytes unsigned and signed (Go takes either). */
function checksums(h: Buffer): { unsigned: number; signed: number } {
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : (h[i] ?? 0);
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  return { unsigned, signed };
}

/** A string field up to its first NUL, as Go cuts it. */
function cString(h: Buffer, at: number, width: number): string {
  const field = h.subarray(at, at + width);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? width : end).toString('utf8');
}

const padding = (size: number): number => (BLOCK - (size % BLOCK)) % BLOCK;

/** The path the engine unpacks an entry to, relative to its folder (Go's filepath.Clean, no trailing slash). */
function cleanPath(name: string): string {
  return posix.normalize(`/${name}`).replace(/^\/+|\/+$/g, '');
}

/** pax records, `<length> <key>=<value>\n` each, as Go parses them; sparse files are refused. */
function parsePax(data: Buffer): Record<string, string> {
  const records: Record<string, string> = {};
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    const length = space > at ? data.toString('latin1', at, space) : '';
    const n = /^[0-9]{1,9}$/.test(length) ? Number(length) : 0;
    if (n < 5 || at + n > data.length || data[at + n - 1] !== 0x0a) refuse('a pax header is malformed');
    const record = data.toString('utf8', space + 1, at + n - 1);
    const eq = record.indexOf('=');
    if (eq < 0) refuse('a pax header is malformed');
    const key = record.slice(0, eq);
    const value = record.slice(eq + 1);
    if (key.startsWith('GNU.sparse')) refuse('it holds a sparse file');
    if ((key === 'path' || key === 'linkpath') && value.includes('\u0000')) refuse('a pax path holds a NUL');
    if (key === 'size' && !/^[0-9]{1,15}$/.test(value)) refuse('a pax size is unreadable');
    records[key] = value;
    at += n;
  }
  return records;
}

/** Go's encoding/json matches struct fields case-insensitively, and folds ſ to s and K (Kelvin) to k. */
function fieldIs(key: string, field: string): boolean {
  return key.toLowerCase().replace(/\u017f/g, 's') === field;
}

function objectValues(value: unknown, field: string): unknown[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([k, v]) => (fieldIs(k, field) ? [v] : []));
}

function tagsIn(file: string, text: string): string[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    refuse(`${file} is not JSON`);
  }
  const odd = (): never => refuse(`${file} is not as docker save writes it`);
  const strings = (value: unknown): string[] =>
    value === null ? [] : Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : odd();
  const record = (value: unknown): Record<string, unknown> =>
    typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : odd();

  if (file === 'manifest.json') {
    if (!Array.isArray(data)) odd();
    return (data as unknown[]).flatMap((item) => objectValues(record(item), 'repotags').flatMap(strings));
  }
  if (file === 'repositories') {
    return Object.entries(record(data)).flatMap(([repo, tags]) => Object.keys(record(tags)).map((tag) => `${repo}:${tag}`));
  }
  // index.json
  return objectValues(record(data), 'manifests').flatMap((list) =>
    (list === null ? [] : Array.isArray(list) ? list : odd()).flatMap((descriptor) =>
      objectValues(record(descriptor), 'annotations').flatMap((annotations) => {
        if (annotations === null) return [];
        const named = record(annotations);
        for (const key of [IMAGE_NAME, REF_NAME]) {
          const name = named[key];
          if (name !== undefined && typeof name !== 'string') odd();
          if (name) return [name as string];
        }
        return [];
      }),
    ),
  );
}

/**
 * A reference in one spelling for comparison, as Docker normalises it:
 * `busybox` → `docker.io/library/busybox:latest`. A digest reference stays as is.
 */
export function canonicalImageRef(ref: string): string {
  if (ref.includes('@')) return ref;
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  const name = colon > slash ? ref.slice(0, colon) : ref;
  const tag = colon > slash ? ref.slice(colon + 1) : 'latest';
  const firstSlash = name.indexOf('/');
  const first = firstSlash < 0 ? '' : name.slice(0, firstSlash);
  const hasDomain = firstSlash >= 0 && (/[.:]/.test(first) || first === 'localhost' || first.toLowerCase() !== first);
  let domain = hasDomain ? first : 'docker.io';
  let path = hasDomain ? name.slice(firstSlash + 1) : name;
  if (domain === 'index.docker.io') domain = 'docker.io';
  if (domain === 'docker.io' && !path.includes('/')) path = `library/${path}`;
  return `${domain}/${path}:${tag}`;
}
