// Image packs for offline workshops: one `*.netlab-images.tar` file carrying
// the lessons' images from a machine that has them to machines that do not.
//
// The pack is a plain ustar archive of regular files only. Version 2 (written
// since packs carry more than one CPU architecture):
//   images-amd64.tar  what `docker save` writes for the amd64 images, saved by id (untagged)
//   images-arm64.tar  the same for arm64, when the engine has arm64 images (NAME-arm64 tags,
//                     see image-platform.ts); one such file per architecture
//   netlab-pack.json  the manifest: each image's name and, per architecture, its id;
//                     each file's architecture, size and sha256
// Version 1 (still read): images.tar, saved by name, and a manifest of names and ids.
// Export writes the image files first (each header patched once its size is
// known) and the manifest after them, to a temp file renamed into place at the end.
// Import reads the manifest and the engine's architecture, and refuses a pack
// without it before reading further. It then checks the one file of that
// architecture against its sha256 while streaming it, and in the same pass
// reads the tags that file itself would apply (docker load takes them from the
// archive, so a pack listing `x:1` could otherwise also replace
// `busybox:latest`) and the image configs' architectures: a version 2 file
// that would tag anything, a version 1 file that would tag what its manifest
// does not list, or an image for another architecture refuses the whole pack.
// Only then is the file handed to the engine, and a version 2 pack's images are
// tagged with their names. The pack's own reader accepts nothing else: no
// links, directories, extended headers, other names or duplicates.
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
import { choosePlatform, engineArchitecture, normalizeArchitecture, PACK_ARCHITECTURES, platformTag, splitTag } from './image-platform';
import { normalizeImageName } from './preflight';

export const PACK_FORMAT = 'netlab-image-pack';
/** The version export writes; import reads this one and version 1. */
export const PACK_VERSION = 2;
const READ_VERSIONS: readonly unknown[] = [1, 2];
/** What a pack's file name ends with (a suggestion for save dialogs; any name is read). */
export const PACK_EXTENSION = '.netlab-images.tar';
export const MANIFEST_NAME = 'netlab-pack.json';
/** A version 1 pack's one image file. */
export const IMAGES_NAME = 'images.tar';
/** A version 2 pack's image file for one architecture. */
export const imagesFileName = (architecture: string): string => `images-${architecture}.tar`;
const PLATFORM_FILE = /^images-[a-z0-9_]{1,32}\.tar$/;
/** tar's block: headers take one, data is padded to a whole number of them. */
const BLOCK = 512;
/** A manifest bigger than this is not ours. */
const MAX_MANIFEST_BYTES = 1024 * 1024;
/** Progress is reported at most once per this many bytes (and at the end of each phase). */
const PROGRESS_STEP = 1024 * 1024;

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);
const ImageId = z.string().regex(/^sha256:[0-9a-f]{64}$/);
const ImageName = z.string().min(1).max(512);
const Architecture = z.string().regex(/^[a-z0-9_]{1,32}$/);
const FileSize = z.number().int().min(2 * BLOCK);

export const PackManifestV1Schema = z.object({
  format: z.literal(PACK_FORMAT),
  version: z.literal(1),
  createdAt: z.iso.datetime(),
  images: z.array(z.object({ name: ImageName, id: ImageId })).min(1).max(1000),
  files: z.array(z.object({ path: z.literal(IMAGES_NAME), size: FileSize, sha256: Sha256Hex })).length(1),
});

export const PackManifestV2Schema = z
  .object({
    format: z.literal(PACK_FORMAT),
    version: z.literal(2),
    createdAt: z.iso.datetime(),
    images: z
      .array(
        z.object({
          name: ImageName.refine((n) => !n.includes('@'), 'a pack names its images by tag'),
          platforms: z
            .array(z.object({ architecture: Architecture, os: z.string().min(1).max(32), variant: z.string().min(1).max(16).optional(), id: ImageId }))
            .min(1)
            .max(8),
        }),
      )
      .min(1)
      .max(1000),
    files: z
      .array(z.object({ path: z.string().regex(PLATFORM_FILE), architecture: Architecture, size: FileSize, sha256: Sha256Hex }))
      .min(1)
      .max(8),
  })
  .superRefine((m, ctx) => {
    const problem = (message: string): void => ctx.addIssue({ code: 'custom', message, path: ['files'] });
    const archs = m.files.map((f) => f.architecture);
    for (const f of m.files) if (f.path !== imagesFileName(f.architecture)) problem(`${f.path} is not named for ${f.architecture}`);
    if (new Set(archs).size !== archs.length) problem('an architecture has two files');
    for (const image of m.images) {
      if (m.images.filter((i) => i.name === image.name).length > 1) ctx.addIssue({ code: 'custom', message: `${image.name} is listed twice`, path: ['images'] });
      const own = image.platforms.map((p) => p.architecture);
      if (new Set(own).size !== own.length) ctx.addIssue({ code: 'custom', message: `${image.name} lists an architecture twice`, path: ['images'] });
      for (const a of own) if (!archs.includes(a)) problem(`no file holds the ${a} images`);
    }
    for (const a of archs) if (!m.images.some((i) => i.platforms.some((p) => p.architecture === a))) problem(`no image is for ${a}`);
  });

export type PackManifestV1 = z.infer<typeof PackManifestV1Schema>;
export type PackManifestV2 = z.infer<typeof PackManifestV2Schema>;
export type PackManifest = PackManifestV1 | PackManifestV2;
/** A version 1 pack's image: one name, one id. */
export type PackImage = PackManifestV1['images'][number];
/** A version 2 pack's image: one name, an id per architecture. */
export type PackPlatformImage = PackManifestV2['images'][number];
export type PackPlatform = PackPlatformImage['platforms'][number];
/** What an export wrote, with the architectures it holds. */
export interface ImagePackExport extends ImagePackResult {
  architectures: string[];
}
/** What an import loaded, and for which architecture. */
export interface ImagePackImport extends ImagePackResult {
  architecture: string;
}
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
 * Saves `images` from the engine into one pack at `file` (replaced atomically),
 * each with every architecture the engine has for it: the image under its own
 * name, and under `NAME-amd64` / `NAME-arm64` tags (image-platform.ts). Every
 * image must be in the engine under its own name; names are normalised
 * (`busybox` → `busybox:latest`) and deduplicated.
 */
export async function exportImagePack(
  docker: Dockerode,
  images: string[],
  file: string,
  onProgress?: (p: ExportProgress) => void,
): Promise<ImagePackExport> {
  const names = [...new Set(images.map((i) => normalizeImageName(i.trim())).filter((i) => i.length > 0))];
  if (names.length === 0) throw new LabError('nothing to export: name at least one image', 'pack-empty');
  const listed: PackPlatformImage[] = [];
  for (const name of names) {
    if (name.includes('@')) throw new LabError(`${name}: a pack names its images by tag; tag the image and export the tag`, 'pack-digest');
    const own = await inspectPlatform(docker, name);
    if (!own) throw new LabError(`${name} is not in the engine: build or pull it first`, 'image-missing');
    const platforms = [own];
    for (const architecture of PACK_ARCHITECTURES) {
      if (platforms.some((p) => p.architecture === architecture)) continue;
      const tag = platformTag(name, architecture);
      const other = await inspectPlatform(docker, tag);
      if (!other) continue;
      if (other.architecture !== architecture) {
        throw new LabError(
          `${tag} is an image for ${other.architecture}, not ${architecture}: image packs take that tag as ${name}'s ${architecture} image; retag or remove it`,
          'pack-platform-tag',
        );
      }
      platforms.push(other);
    }
    listed.push({ name, platforms: platforms.sort((a, b) => a.architecture.localeCompare(b.architecture)) });
  }
  const architectures = [...new Set(listed.flatMap((i) => i.platforms.map((p) => p.architecture)))].sort();
  const sources = architectures.map((architecture) => {
    const ids = [...new Set(listed.flatMap((i) => i.platforms.filter((p) => p.architecture === architecture).map((p) => p.id)))];
    // By id: the saved archive tags nothing, and import tags each name with the platform it chose.
    return { architecture, open: () => saveImages(docker, ids) };
  });
  const bytes = await writePlatformPack(file, listed, sources, onProgress);
  return { file, images: names, bytes, architectures };
}

/** An image's id and platform as the engine has it; undefined when the engine has no such image. */
async function inspectPlatform(docker: Dockerode, ref: string): Promise<PackPlatform | undefined> {
  try {
    const image = await docker.getImage(ref).inspect();
    const variant = (image as { Variant?: unknown }).Variant;
    return {
      architecture: normalizeArchitecture(image.Architecture),
      os: image.Os,
      ...(typeof variant === 'string' && variant ? { variant } : {}),
      id: image.Id,
    };
  } catch (err) {
    if (statusOf(err) === 404) return undefined;
    throw err;
  }
}

/** One image file of a pack: where it goes, and the `docker save` stream it holds (opened when its turn comes). */
interface PackSource {
  path: string;
  open: () => Promise<AsyncIterable<Uint8Array>>;
}

interface WrittenFile {
  path: string;
  size: number;
  sha256: string;
}

/** Writes a version 2 pack: one file per architecture, from `docker save` streams of each; returns the pack's size. */
export async function writePlatformPack(
  file: string,
  images: PackPlatformImage[],
  sources: { architecture: string; open: () => Promise<AsyncIterable<Uint8Array>> }[],
  onProgress?: (p: ExportProgress) => void,
): Promise<number> {
  const architectureOf = new Map(sources.map((s) => [imagesFileName(s.architecture), s.architecture]));
  return writePack(
    file,
    sources.map((s) => ({ path: imagesFileName(s.architecture), open: s.open })),
    (files, createdAt): PackManifestV2 => ({
      format: PACK_FORMAT,
      version: 2,
      createdAt,
      images,
      files: files.map((f) => ({ path: f.path, architecture: architectureOf.get(f.path) ?? '', size: f.size, sha256: f.sha256 })),
    }),
    onProgress,
  );
}

/**
 * Writes a version 1 pack (one images.tar, as NetLab wrote packs before they
 * carried architectures): what tests and tools use to make one. The stream
 * must end with tar's end-of-archive marker (two zero blocks), which tells a
 * complete `docker save` from one cut short.
 */
export async function writeImagePack(
  file: string,
  images: PackImage[],
  source: AsyncIterable<Uint8Array>,
  onProgress?: (p: ExportProgress) => void,
): Promise<number> {
  return writePack(
    file,
    [{ path: IMAGES_NAME, open: () => Promise.resolve(source) }],
    (files, createdAt): PackManifestV1 => ({
      format: PACK_FORMAT,
      version: 1,
      createdAt,
      images,
      files: files.map((f) => ({ path: IMAGES_NAME, size: f.size, sha256: f.sha256 })),
    }),
    onProgress,
  );
}

/**
 * Writes the image files in order, then the manifest made from their sizes
 * and hashes, to a temp file renamed to `file`; returns the pack's size. Each
 * stream must end with tar's end-of-archive marker (two zero blocks), which
 * tells a complete `docker save` from one cut short.
 */
async function writePack(
  file: string,
  sources: PackSource[],
  manifestFor: (files: WrittenFile[], createdAt: string) => PackManifest,
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
  let chunks: AsyncIterator<Uint8Array> | undefined;
  let done = false;
  try {
    const now = new Date();
    const mtime = Math.floor(now.getTime() / 1000);
    const report = throttled((n: number) => onProgress?.({ phase: 'save', bytes: n }));
    const written: (WrittenFile & { header: number })[] = [];
    let position = 0;
    let saved = 0;
    for (const source of sources) {
      // Each file behind a placeholder header, patched once its size is known.
      const header = position;
      await writeAll(handle, Buffer.alloc(BLOCK), header).catch(writeFailed);
      position += BLOCK;
      const start = position;
      const hash = createHash('sha256');
      let tail = Buffer.alloc(0);
      chunks = (await source.open().catch(sourceFailed))[Symbol.asyncIterator]();
      for (;;) {
        const next = await chunks.next().catch(sourceFailed);
        if (next.done) break;
        const buf = Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
        hash.update(buf);
        await writeAll(handle, buf, position).catch(writeFailed);
        position += buf.length;
        saved += buf.length;
        tail = buf.length >= 2 * BLOCK ? Buffer.from(buf.subarray(-2 * BLOCK)) : Buffer.concat([tail, buf]).subarray(-2 * BLOCK);
        report(saved);
      }
      chunks = undefined;
      const size = position - start;
      if (size < 2 * BLOCK || tail.some((b) => b !== 0)) sourceFailed(new Error('the image archive is incomplete'));
      await writeAll(handle, Buffer.alloc(padding(size)), position).catch(writeFailed);
      position += padding(size);
      written.push({ path: source.path, size, sha256: hash.digest('hex'), header });
    }
    report(saved, true);

    const manifest = manifestFor(written.map(({ path, size, sha256 }) => ({ path, size, sha256 })), now.toISOString());
    const json = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
    const rest = Buffer.concat([
      tarHeader(MANIFEST_NAME, json.length, mtime),
      json,
      Buffer.alloc(padding(json.length)),
      Buffer.alloc(2 * BLOCK), // end of archive
    ]);
    await writeAll(handle, rest, position).catch(writeFailed);
    position += rest.length;
    for (const w of written) await writeAll(handle, tarHeader(w.path, w.size, mtime), w.header).catch(writeFailed);
    await handle.sync().catch(writeFailed);
    await handle.close().catch(writeFailed);
    await rename(temp, file).catch(writeFailed);
    done = true;
    onProgress?.({ phase: 'write', bytes: position, total: position });
    return position;
  } finally {
    if (!done) {
      await chunks?.return?.().catch(() => undefined);
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
 * Loads a pack into the engine: picks the images for the engine's
 * architecture (a pack without them is refused), verifies that file against
 * the manifest first (nothing is loaded from a damaged pack, nor from one whose
 * file would tag anything the manifest does not name, nor hold an image for
 * another architecture), then loads it, tags a version 2 pack's images with
 * their names, and checks that every image is there with the listed id.
 */
export async function importImagePack(
  docker: Dockerode,
  file: string,
  onProgress?: (p: ImportProgress) => void,
): Promise<ImagePackImport> {
  const pack = await openPack(file);
  const { manifest } = pack;
  const architecture = await engineArchitecture(docker);

  // What to load: a version 2 pack's file for this architecture; a version 1 pack's one file.
  let path: string;
  let expected: { name: string; id: string }[];
  if (manifest.version === 2) {
    const choice = choosePlatform(manifest.images, architecture);
    if ('refused' in choice) throw new LabError(choice.refused, 'pack-platform');
    path = imagesFileName(architecture);
    expected = choice.chosen;
  } else {
    path = IMAGES_NAME;
    expected = manifest.images;
  }
  const entry = pack.files.get(path);
  if (!entry) throw new LabError(`the pack is damaged: it has no ${path}; copy it again`, 'pack-damaged');
  const { size, sha256 } = entry;
  const damaged = (): LabError => new LabError(`the pack is damaged: ${path} checksum differs; copy it again`, 'pack-damaged');

  // The same pass reads the tags the file would apply (docker load takes them from the archive, not from our
  // manifest) and the architecture in each image's own config.
  const scanner = new SaveArchiveScanner(expected.map((e) => e.id));
  const verified = await hashRange(
    file,
    entry.offset,
    size,
    (n) => onProgress?.({ phase: 'verify', bytes: n, total: size }),
    (chunk) => scanner.write(chunk),
  );
  if (verified !== sha256) throw damaged();
  // A version 2 file is saved by id: it tags nothing, and import tags it.
  checkTags(path, manifest.version === 2 ? [] : manifest.images.map((i) => i.name), scanner);
  const found = scanner.platforms();
  const foreign: { name: string; platforms: { architecture: string; id: string }[] }[] = [];
  for (const { name, id } of expected) {
    const platform = found.get(id);
    if (!platform) {
      // Version 1 packs are taken as they were: the engine's own check after loading catches a missing image.
      if (manifest.version === 1) continue;
      throw new LabError(`the pack's ${path} does not hold ${name}'s image (${id}); nothing was loaded`, 'pack-invalid');
    }
    if (normalizeArchitecture(platform.architecture) !== architecture) foreign.push({ name, platforms: [{ architecture: platform.architecture, id }] });
  }
  if (foreign.length > 0) {
    // Each of these is for another architecture, so the choice refuses, naming theirs and the engine's.
    const choice = choosePlatform(foreign, architecture);
    throw new LabError('refused' in choice ? choice.refused : `the pack's images are not for ${architecture}; nothing was loaded`, 'pack-platform');
  }

  // The file is read again for loading; hash that pass too, in case it changed meanwhile.
  const counter = new CountingHash((n) => onProgress?.({ phase: 'load', bytes: n, total: size }));
  const body = createReadStream(file, { start: entry.offset, end: entry.offset + size - 1 });
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

  if (manifest.version === 2) {
    for (const { name, id } of expected) {
      try {
        await docker.getImage(id).tag(splitTag(name));
      } catch (err) {
        if (statusOf(err) === 404) throw new LabError(`the pack was loaded but ${name}'s image ${id} is not in the engine: the pack is incomplete`, 'pack-incomplete');
        throw err;
      }
    }
  }
  for (const { name, id } of expected) {
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
  return { file, images: expected.map((i) => i.name), bytes: total, architecture };
}

/** Throws unless every tag the archive would apply is one of `listed` (nothing is loaded then). */
function checkTags(path: string, listed: string[], scanner: SaveArchiveScanner): void {
  let tags: string[];
  try {
    tags = scanner.end();
  } catch (err) {
    if (!(err instanceof SaveArchiveRefused)) throw err;
    throw new LabError(`the pack's ${path} cannot be checked: ${err.message}; nothing was loaded`, 'pack-invalid');
  }
  const allowed = new Set(listed.map((name) => canonicalImageRef(name)));
  const unlisted = [...new Set(tags.filter((t) => !allowed.has(canonicalImageRef(t))))].sort();
  if (unlisted.length > 0) {
    const message =
      listed.length > 0
        ? `the pack's ${path} would also tag ${unlisted.join(', ')}, which its manifest does not list (it lists ${listed.join(', ')}); nothing was loaded`
        : `the pack's ${path} would tag ${unlisted.join(', ')}, which a version 2 pack never does (import tags its images itself); nothing was loaded`;
    throw new LabError(message, 'pack-unlisted-tags');
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
  /** Each image file by name: where its bytes start in the pack, and its manifest entry. */
  files: Map<string, { offset: number; size: number; sha256: string }>;
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
    if (!manifestEntry) throw notAPack(file, `it has no ${MANIFEST_NAME}`);
    if (entries.size === 1) throw notAPack(file, `it has no image files (${IMAGES_NAME} or ${imagesFileName('ARCH')})`);
    if (manifestEntry.size > MAX_MANIFEST_BYTES) throw notAPack(file, `${MANIFEST_NAME} is ${manifestEntry.size} bytes`);
    const raw = Buffer.alloc(manifestEntry.size);
    await readExactly(handle, raw, manifestEntry.offset);
    const manifest = parseManifest(raw.toString('utf8'), file);
    const files = new Map<string, { offset: number; size: number; sha256: string }>();
    for (const listed of manifest.files) {
      const found = entries.get(listed.path);
      if (!found) throw new LabError(`the pack is damaged: it has no ${listed.path}, which its manifest lists; copy it again`, 'pack-damaged');
      if (found.size !== listed.size) {
        throw new LabError(`the pack is damaged: ${listed.path} is ${found.size} bytes, the manifest says ${listed.size}; copy it again`, 'pack-damaged');
      }
      files.set(listed.path, { offset: found.offset, size: found.size, sha256: listed.sha256 });
    }
    const unlisted = [...entries.keys()].filter((name) => name !== MANIFEST_NAME && !files.has(name));
    if (unlisted.length > 0) throw notAPack(file, `it holds ${unlisted.join(', ')}, which its ${MANIFEST_NAME} does not list`);
    return { manifest, files };
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
  if (!READ_VERSIONS.includes(head.data.version)) {
    throw new LabError(
      `${file} is an image pack of version ${JSON.stringify(head.data.version)}; this NetLab reads versions ${READ_VERSIONS.join(' and ')}: use a matching NetLab to import it, or export the pack again`,
      'pack-version',
    );
  }
  const full = head.data.version === 1 ? PackManifestV1Schema.safeParse(data) : PackManifestV2Schema.safeParse(data);
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
  if (name !== MANIFEST_NAME && name !== IMAGES_NAME && !PLATFORM_FILE.test(name)) {
    return refuse(`it holds ${name}, but a pack holds only ${MANIFEST_NAME} and its image files (${IMAGES_NAME}, ${imagesFileName('ARCH')})`);
  }
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
