// Image packs for offline workshops: one `*.netlab-images.tar` file carrying
// the lessons' images from a machine that has them to machines that do not.
//
// The pack is a plain ustar archive of exactly two regular files:
//   images.tar        what `docker save` writes for all the images at once
//   netlab-pack.json  the manifest: the images (name + id) and images.tar's size and sha256
// Export writes images.tar first (its header patched once the size is known)
// and the manifest after it, to a temp file renamed into place at the end.
// Import reads the manifest, checks images.tar's sha256 while streaming it,
// and in the same pass the tags images.tar itself would apply (docker load
// takes them from the archive, so a pack listing `x:1` could otherwise also
// replace `busybox:latest`): any tag the manifest does not list refuses the
// whole pack. Only then is images.tar handed to the engine. The pack's own
// reader accepts nothing else: no links, directories, extended headers, other
// names or duplicates.
//
// Header blocks are encoded and decoded by node-tar's Header class (`tar/header`,
// npm's own tar). Its streaming Pack and Parser are not used: a stream cannot
// take images.tar's header before `docker save` has told its size, nor skip
// gigabytes of images.tar to reach the manifest behind it, which the pack's
// reader does with positioned reads of the headers alone. node-tar writes sizes
// from 8 GiB up in GNU base-256, as this file always has, so GNU tar, Go (the
// engine) and every earlier NetLab read its packs. (tar-stream 2, which
// dockerode brings, exports no header codec, and writes such a size as
// 77777777777, so a reader would look for the next header inside images.tar.)
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import type Dockerode from 'dockerode';
import { Header } from 'tar/header';
import { z } from 'zod';
import { LabError } from '../../api/errors';
import type { ImagePackResult } from '../../api/types';
import { canonicalImageRef, SaveArchiveRefused, SaveArchiveScanner } from './docker-save-tags';
import { normalizeImageName } from './preflight';

export const PACK_FORMAT = 'netlab-image-pack';
export const PACK_VERSION = 1;
/** What a pack's file name ends with (a suggestion for save dialogs; any name is read). */
export const PACK_EXTENSION = '.netlab-images.tar';
export const MANIFEST_NAME = 'netlab-pack.json';
export const IMAGES_NAME = 'images.tar';
/** tar's block: headers take one, data is padded to a whole number of them. */
const BLOCK = 512;
/** A manifest bigger than this is not ours. */
const MAX_MANIFEST_BYTES = 1024 * 1024;
/** Progress is reported at most once per this many bytes (and at the end of each phase). */
const PROGRESS_STEP = 1024 * 1024;

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

export const PackManifestSchema = z.object({
  format: z.literal(PACK_FORMAT),
  version: z.literal(PACK_VERSION),
  createdAt: z.iso.datetime(),
  images: z
    .array(z.object({ name: z.string().min(1).max(512), id: z.string().regex(/^sha256:[0-9a-f]{64}$/) }))
    .min(1)
    .max(1000),
  files: z.array(z.object({ path: z.literal(IMAGES_NAME), size: z.number().int().min(2 * BLOCK), sha256: Sha256Hex })).length(1),
});

export type PackManifest = z.infer<typeof PackManifestSchema>;
export type PackImage = PackManifest['images'][number];
export interface ExportProgress {
  phase: 'save' | 'write';
  bytes: number;
  total?: number;
}
export interface ImportProgress {
  phase: 'verify' | 'load';
  bytes: number;
  total: number;
}

// ---- Export -------------------------------------------------------------------

/** Every image the given lessons declare, normalised, in lesson order, once each: what a course pack holds. */
export function lessonImageNames(lessons: readonly { lesson: { images: readonly string[] } }[]): string[] {
  return [...new Set(lessons.flatMap((l) => l.lesson.images.map(normalizeImageName)))];
}

/**
 * Saves `images` from the engine into one pack at `file` (replaced atomically).
 * Every image must be in the engine already; names are normalised
 * (`busybox` → `busybox:latest`) and deduplicated.
 */
export async function exportImagePack(
  docker: Dockerode,
  images: string[],
  file: string,
  onProgress?: (p: ExportProgress) => void,
): Promise<ImagePackResult> {
  const names = [...new Set(images.map((i) => normalizeImageName(i.trim())).filter((i) => i.length > 0))];
  if (names.length === 0) throw new LabError('nothing to export: name at least one image', 'pack-empty');
  const listed: PackImage[] = [];
  for (const name of names) {
    let id: string;
    try {
      id = (await docker.getImage(name).inspect()).Id;
    } catch (err) {
      if (statusOf(err) === 404) throw new LabError(`${name} is not in the engine: build or pull it first`, 'image-missing');
      throw err;
    }
    listed.push({ name, id });
  }
  const source = await saveImages(docker, names);
  const bytes = await writeImagePack(file, listed, source, onProgress);
  return { file, images: names, bytes };
}

/**
 * Writes a pack from an images.tar stream; returns the pack's size. The
 * stream must end with tar's end-of-archive marker (two zero blocks), which
 * tells a complete `docker save` from one cut short.
 */
export async function writeImagePack(
  file: string,
  images: PackImage[],
  source: AsyncIterable<Uint8Array>,
  onProgress?: (p: ExportProgress) => void,
): Promise<number> {
  const writeFailed = (err: unknown): never => {
    throw new LabError(`cannot write ${file}: ${describeFsError(err)}`, 'pack-write');
  };
  const sourceFailed = (err: unknown): never => {
    throw new LabError(`the engine stopped sending the images (${err instanceof Error ? err.message : String(err)}); try the export again`, 'pack-save');
  };
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.${Date.now().toString(36)}.partial`);
  const handle = await open(temp, 'wx').catch(writeFailed);
  const chunks = source[Symbol.asyncIterator]();
  let done = false;
  try {
    const now = new Date();
    const mtime = Math.floor(now.getTime() / 1000);
    // images.tar goes first, behind a placeholder header patched once its size is known.
    await writeAll(handle, Buffer.alloc(BLOCK), 0).catch(writeFailed);
    let position = BLOCK;
    const hash = createHash('sha256');
    const report = throttled((n: number) => onProgress?.({ phase: 'save', bytes: n }));
    let tail = Buffer.alloc(0);
    for (;;) {
      const next = await chunks.next().catch(sourceFailed);
      if (next.done) break;
      const buf = Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
      hash.update(buf);
      await writeAll(handle, buf, position).catch(writeFailed);
      position += buf.length;
      tail = buf.length >= 2 * BLOCK ? Buffer.from(buf.subarray(-2 * BLOCK)) : Buffer.concat([tail, buf]).subarray(-2 * BLOCK);
      report(position - BLOCK);
    }
    const size = position - BLOCK;
    report(size, true);
    if (size < 2 * BLOCK || tail.some((b) => b !== 0)) sourceFailed(new Error('the image archive is incomplete'));

    const manifest: PackManifest = {
      format: PACK_FORMAT,
      version: PACK_VERSION,
      createdAt: now.toISOString(),
      images,
      files: [{ path: IMAGES_NAME, size, sha256: hash.digest('hex') }],
    };
    const json = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
    const rest = Buffer.concat([
      Buffer.alloc(padding(size)),
      tarHeader(MANIFEST_NAME, json.length, mtime),
      json,
      Buffer.alloc(padding(json.length)),
      Buffer.alloc(2 * BLOCK), // end of archive
    ]);
    await writeAll(handle, rest, position).catch(writeFailed);
    position += rest.length;
    await writeAll(handle, tarHeader(IMAGES_NAME, size, mtime), 0).catch(writeFailed);
    await handle.sync().catch(writeFailed);
    await handle.close().catch(writeFailed);
    await rename(temp, file).catch(writeFailed);
    done = true;
    onProgress?.({ phase: 'write', bytes: position, total: position });
    return position;
  } finally {
    if (!done) {
      await chunks.return?.().catch(() => undefined);
      await handle.close().catch(() => undefined);
      await unlink(temp).catch(() => undefined);
    }
  }
}

/** GET /images/get?names=a&names=b: one tar for all the images (dockerode's typings lack getImages). */
function saveImages(docker: Dockerode, names: string[]): Promise<AsyncIterable<Buffer>> {
  return new Promise((resolve, reject) => {
    docker.modem.dial(
      {
        path: '/images/get?',
        method: 'GET',
        options: { names },
        isStream: true,
        statusCodes: { 200: true, 400: 'bad parameter', 404: 'no such image', 500: 'server error' },
      },
      (err, result) => {
        if (err) reject(err);
        else if (isReadable(result)) resolve(result as Readable);
        else reject(new Error('the engine answered the image save without a stream'));
      },
    );
  });
}

// ---- Import -------------------------------------------------------------------

/** Reads and validates a pack's manifest, without reading images.tar. */
export async function readPackManifest(file: string): Promise<PackManifest> {
  return (await openPack(file)).manifest;
}

/**
 * Loads a pack into the engine: verifies images.tar against the manifest
 * first (nothing is loaded from a damaged pack, nor from one whose images.tar
 * would tag anything its manifest does not list), then loads it and checks
 * that every listed image is there with the listed id.
 */
export async function importImagePack(
  docker: Dockerode,
  file: string,
  onProgress?: (p: ImportProgress) => void,
): Promise<ImagePackResult> {
  const pack = await openPack(file);
  const { size, sha256 } = pack.images;
  const damaged = (): LabError => new LabError(`the pack is damaged: ${IMAGES_NAME} checksum differs; copy it again`, 'pack-damaged');

  // The same pass reads the tags images.tar would apply: docker load takes them from the archive, not from our manifest.
  const scanner = new SaveArchiveScanner();
  const verified = await hashRange(
    file,
    pack.images.offset,
    size,
    (n) => onProgress?.({ phase: 'verify', bytes: n, total: size }),
    (chunk) => scanner.write(chunk),
  );
  if (verified !== sha256) throw damaged();
  checkTags(pack.manifest, scanner);

  // The file is read again for loading; hash that pass too, in case it changed meanwhile.
  const counter = new CountingHash((n) => onProgress?.({ phase: 'load', bytes: n, total: size }));
  const body = createReadStream(file, { start: pack.images.offset, end: pack.images.offset + size - 1 });
  body.on('error', (err) => counter.destroy(err));
  body.pipe(counter);
  let loadError: string | undefined;
  try {
    loadError = await followLoad(docker, await docker.loadImage(counter, { quiet: true }));
  } finally {
    body.destroy();
  }
  if (loadError) throw new LabError(`the engine could not load the images: ${loadError}`, 'pack-load');
  if (counter.digest() !== sha256) throw damaged();

  for (const { name, id } of pack.manifest.images) {
    let actual: string;
    try {
      actual = (await docker.getImage(name).inspect()).Id;
    } catch (err) {
      if (statusOf(err) === 404) throw new LabError(`the pack was loaded but ${name} is not in the engine: the pack is incomplete`, 'pack-incomplete');
      throw err;
    }
    if (actual !== id) throw new LabError(`${name} was loaded as ${actual}, but the pack says ${id}`, 'pack-incomplete');
  }
  const total = (await stat(file)).size;
  return { file, images: pack.manifest.images.map((i) => i.name), bytes: total };
}

/** Throws unless every tag the archive would apply is one of the manifest's images (nothing is loaded then). */
function checkTags(manifest: PackManifest, scanner: SaveArchiveScanner): void {
  let tags: string[];
  try {
    tags = scanner.end();
  } catch (err) {
    if (!(err instanceof SaveArchiveRefused)) throw err;
    throw new LabError(`the pack's ${IMAGES_NAME} cannot be checked: ${err.message}; nothing was loaded`, 'pack-invalid');
  }
  const listed = new Set(manifest.images.map((i) => canonicalImageRef(i.name)));
  const unlisted = [...new Set(tags.filter((t) => !listed.has(canonicalImageRef(t))))].sort();
  if (unlisted.length > 0) {
    throw new LabError(
      `the pack's ${IMAGES_NAME} would also tag ${unlisted.join(', ')}, which its manifest does not list (it lists ${manifest.images.map((i) => i.name).join(', ')}); nothing was loaded`,
      'pack-unlisted-tags',
    );
  }
}

/** Waits for the load response; returns the engine's error message, if it reported one. */
function followLoad(docker: Dockerode, response: NodeJS.ReadableStream): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    let error: string | undefined;
    docker.modem.followProgress(
      response,
      (err) => (err ? reject(err) : resolve(error)),
      (event: { error?: string; errorDetail?: { message?: string } }) => {
        error ??= event.errorDetail?.message ?? event.error;
      },
    );
  });
}

/** Passes bytes through, hashing and counting them, with throttled progress. */
class CountingHash extends Transform {
  private readonly hash = createHash('sha256');
  private bytes = 0;
  private readonly report: (n: number, final?: boolean) => void;
  constructor(onProgress: (bytes: number) => void) {
    super();
    this.report = throttled(onProgress);
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    this.report(this.bytes);
    callback(null, chunk);
  }
  override _flush(callback: TransformCallback): void {
    this.report(this.bytes, true);
    callback();
  }
  digest(): string {
    return this.hash.digest('hex');
  }
}

async function hashRange(
  file: string,
  start: number,
  size: number,
  onProgress: (bytes: number) => void,
  onChunk?: (chunk: Buffer) => void,
): Promise<string> {
  const hash = createHash('sha256');
  const report = throttled(onProgress);
  let bytes = 0;
  if (size > 0) {
    for await (const chunk of createReadStream(file, { start, end: start + size - 1 }) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      onChunk?.(chunk);
      bytes += chunk.length;
      report(bytes);
    }
  }
  report(bytes, true);
  return bytes === size ? hash.digest('hex') : '';
}

// ---- The archive ----------------------------------------------------------------

export interface OpenPack {
  manifest: PackManifest;
  /** Where images.tar's bytes start in the pack, and its manifest entry. */
  images: { offset: number; size: number; sha256: string };
}

/** Walks the pack's headers (no data read but the manifest) and validates everything but images.tar's bytes. */
export async function openPack(file: string): Promise<OpenPack> {
  let handle: FileHandle;
  try {
    if (!(await stat(file)).isFile()) throw notAPack(file, 'it is not a regular file');
    handle = await open(file, 'r');
  } catch (err) {
    if (err instanceof LabError) throw err;
    if (codeOf(err) === 'ENOENT') throw new LabError(`${file} does not exist`, 'pack-not-found');
    throw new LabError(`cannot read ${file}: ${describeFsError(err)}`, 'pack-read');
  }
  try {
    const fileSize = (await handle.stat()).size;
    const entries = await readEntries(handle, fileSize, file);
    const manifestEntry = entries.get(MANIFEST_NAME);
    const imagesEntry = entries.get(IMAGES_NAME);
    if (!manifestEntry) throw notAPack(file, `it has no ${MANIFEST_NAME}`);
    if (!imagesEntry) throw notAPack(file, `it has no ${IMAGES_NAME}`);
    if (manifestEntry.size > MAX_MANIFEST_BYTES) throw notAPack(file, `${MANIFEST_NAME} is ${manifestEntry.size} bytes`);
    const raw = Buffer.alloc(manifestEntry.size);
    await readExactly(handle, raw, manifestEntry.offset);
    const manifest = parseManifest(raw.toString('utf8'), file);
    const [listed] = manifest.files;
    if (!listed || listed.size !== imagesEntry.size) {
      throw new LabError(`the pack is damaged: ${IMAGES_NAME} is ${imagesEntry.size} bytes, the manifest says ${listed?.size}; copy it again`, 'pack-damaged');
    }
    return { manifest, images: { offset: imagesEntry.offset, size: imagesEntry.size, sha256: listed.sha256 } };
  } finally {
    await handle.close();
  }
}

/** Checks format, then version, then the rest, so each failure gets its own message. */
export function parseManifest(text: string, file: string): PackManifest {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw notAPack(file, `${MANIFEST_NAME} is not JSON`);
  }
  const head = z.object({ format: z.string(), version: z.unknown() }).safeParse(data);
  if (!head.success || head.data.format !== PACK_FORMAT) throw notAPack(file, `${MANIFEST_NAME} does not say format "${PACK_FORMAT}"`);
  if (head.data.version !== PACK_VERSION) {
    throw new LabError(
      `${file} is an image pack of version ${JSON.stringify(head.data.version)}; this NetLab reads version ${PACK_VERSION} only: use a matching NetLab to import it, or export the pack again`,
      'pack-version',
    );
  }
  const full = PackManifestSchema.safeParse(data);
  if (!full.success) {
    const issue = full.error.issues[0];
    throw notAPack(file, `${MANIFEST_NAME}: ${issue ? `${issue.path.join('.') || '(top)'}: ${issue.message}` : 'invalid'}`);
  }
  return full.data;
}

interface Entry {
  offset: number;
  size: number;
}

async function readEntries(handle: FileHandle, fileSize: number, file: string): Promise<Map<string, Entry>> {
  const entries = new Map<string, Entry>();
  const header = Buffer.alloc(BLOCK);
  let offset = 0;
  for (;;) {
    if (offset + BLOCK > fileSize) {
      if (entries.size === 0) throw notAPack(file, fileSize === 0 ? 'it is empty' : 'it is not a tar archive');
      // Ends without the end-of-archive blocks: tolerated only right after the last entry.
      if (offset === fileSize) break;
      throw damagedEnd();
    }
    await readExactly(handle, header, offset);
    if (header.every((b) => b === 0)) break;
    const parsed = parseHeader(header);
    if ('refused' in parsed) {
      // Garbage where a later header should be is damage; anything well-formed but foreign is not ours.
      if (parsed.garbled && entries.size > 0) throw new LabError(`the pack is damaged: ${parsed.refused}; copy it again`, 'pack-damaged');
      throw notAPack(file, parsed.refused);
    }
    const { name, size } = parsed;
    if (entries.has(name)) throw notAPack(file, `it holds ${name} twice`);
    const dataOffset = offset + BLOCK;
    if (dataOffset + size > fileSize) throw damagedEnd();
    entries.set(name, { offset: dataOffset, size });
    offset = dataOffset + size + padding(size);
  }
  return entries;
}

const damagedEnd = (): LabError => new LabError('the pack is damaged: it ends early (an incomplete copy?); copy it again', 'pack-damaged');

function notAPack(file: string, why: string): LabError {
  return new LabError(`${file} is not a NetLab image pack: ${why}`, 'pack-invalid');
}

/** A regular-file header of ours, or why it is refused (`garbled`: not a valid header at all). */
export function parseHeader(block: Buffer): { name: string; size: number } | { refused: string; garbled: boolean } {
  // POSIX ustar or GNU tar; node-tar would also take a pre-POSIX (v7) header, which no pack has.
  const magic = block.toString('latin1', 257, 265);
  if (magic !== 'ustar\u000000' && magic !== 'ustar  \u0000') return { refused: 'it is not a tar archive', garbled: true };
  let header: Header;
  try {
    header = new Header(block);
  } catch {
    // node-tar throws on a base-256 number it cannot read (in any field).
    return { refused: 'a tar header is unreadable', garbled: true };
  }
  // The unsigned sum, as POSIX has it (old Sun tar's signed one only differs for bytes above 127; our names have none).
  if (!header.cksumValid) return { refused: 'a tar header checksum is wrong', garbled: true };
  const refuse = (refused: string): { refused: string; garbled: boolean } => ({ refused, garbled: false });
  // With the ustar prefix joined; GNU tar's header has none.
  const name = header.path ?? '';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return refuse(`it holds an absolute path (${name})`);
  if (name.split(/[\\/]/).includes('..')) return refuse(`it holds a path with ".." (${name})`);
  const type = header.typeKey;
  if (type !== '0' && type !== '') {
    const kind = ENTRY_KINDS[type] ?? `entry type "${String.fromCharCode(block[156] ?? 0)}"`;
    return refuse(`it holds ${name || 'an entry'} as ${kind}, not a regular file`);
  }
  if (name !== MANIFEST_NAME && name !== IMAGES_NAME) return refuse(`it holds ${name}, but a pack holds only ${MANIFEST_NAME} and ${IMAGES_NAME}`);
  // undefined when node-tar could not read it, or it is negative.
  const size = header.size;
  if (size === undefined || !Number.isSafeInteger(size)) return refuse(`the size of ${name} is unreadable`);
  return { name, size };
}

/** node-tar's type keys (a regular file is '0', or '' in old archives). */
const ENTRY_KINDS: Record<string, string> = {
  '1': 'a hard link',
  '2': 'a symbolic link',
  '3': 'a character device',
  '4': 'a block device',
  '5': 'a directory',
  '6': 'a FIFO',
  '7': 'a contiguous file',
  x: 'an extended (pax) header',
  g: 'a global extended (pax) header',
  L: 'a GNU long name',
  K: 'a GNU long link name',
};

/** A ustar header for a regular file (mode 0644, owner root), its size in base-256 from 8 GiB up. */
export function tarHeader(name: string, size: number, mtime: number): Buffer {
  if (Buffer.byteLength(name) > 100) throw new Error(`tar name too long: ${name}`);
  if (!Number.isSafeInteger(size) || size < 0) throw new Error(`tar size out of range: ${size}`);
  const block = Buffer.alloc(BLOCK);
  new Header({ path: name, type: 'File', mode: 0o644, uid: 0, gid: 0, uname: 'root', gname: 'root', size, mtime: new Date(mtime * 1000) }).encode(block);
  return block;
}

/** Zero bytes that fill an entry's data up to a whole block. */
const padding = (size: number): number => (BLOCK - (size % BLOCK)) % BLOCK;

async function writeAll(handle: FileHandle, buf: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < buf.length) {
    const { bytesWritten } = await handle.write(buf, done, buf.length - done, position + done);
    done += bytesWritten;
  }
}

async function readExactly(handle: FileHandle, buf: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < buf.length) {
    const { bytesRead } = await handle.read(buf, done, buf.length - done, position + done);
    if (bytesRead === 0) throw damagedEnd();
    done += bytesRead;
  }
}

// ---- Small helpers ------------------------------------------------------------

/** Calls `report` when the count crossed another PROGRESS_STEP since the last call, and always for the final one. */
export function throttled(report: (bytes: number, final?: boolean) => void): (bytes: number, final?: boolean) => void {
  let last = -1;
  return (bytes, final) => {
    if (final || last < 0 || Math.floor(bytes / PROGRESS_STEP) > Math.floor(last / PROGRESS_STEP)) {
      last = bytes;
      report(bytes, final);
    }
  };
}

function isReadable(value: unknown): value is NodeJS.ReadableStream {
  return typeof value === 'object' && value !== null && typeof (value as { pipe?: unknown }).pipe === 'function';
}

function statusOf(err: unknown): number | undefined {
  const code = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function describeFsError(err: unknown): string {
  switch (codeOf(err)) {
    case 'ENOENT':
      return 'the folder does not exist';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOSPC':
      return 'the disk is full';
    case 'EISDIR':
      return 'it is a folder';
    default:
      return err instanceof Error ? err.message : String(err);
  }
}
