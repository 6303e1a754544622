import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import type Dockerode from 'dockerode';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LabError } from '../../api/errors';
import {
  IMAGES_NAME,
  importImagePack,
  lessonImageNames,
  MANIFEST_NAME,
  openPack,
  parseHeader,
  parseManifest,
  readPackManifest,
  tarHeader,
  throttled,
  writeImagePack,
  writePlatformPack,
  type ExportProgress,
  type PackImage,
} from './image-pack';

const execFileAsync = promisify(execFile);
const ID = `sha256:${'a'.repeat(64)}`;
const IMAGES: PackImage[] = [{ name: 'busybox:latest', id: ID }];

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'netlab-pack-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Stands in for `docker save`: any bytes, ending with tar's two zero blocks. */
function fakeSave(size: number): Buffer {
  const data = Buffer.alloc(size);
  for (let i = 0; i < size - 1024; i++) data[i] = (i * 31 + 7) % 251;
  return data;
}

async function* chunked(data: Buffer, size = 65536): AsyncGenerator<Buffer> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** A tar built by hand: the writer's header, then any field changed, checksum recomputed. */
function entry(name: string, data: Buffer, edit?: (h: Buffer) => void): Buffer {
  const h = tarHeader(name.length <= 100 ? name : 'x', data.length, 0);
  if (name.length > 100) {
    h.fill(0, 0, 100);
    h.write(name.slice(0, 100), 0, 'utf8');
  }
  edit?.(h);
  fixChecksum(h);
  return Buffer.concat([h, data, Buffer.alloc((512 - (data.length % 512)) % 512)]);
}

function fixChecksum(h: Buffer): void {
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 'latin1');
}

function manifestFor(images: Buffer, extra: Record<string, unknown> = {}): Buffer {
  return Buffer.from(
    JSON.stringify({
      format: 'netlab-image-pack',
      version: 1,
      createdAt: '2025-01-01T00:00:00.000Z',
      images: IMAGES,
      files: [{ path: 'images.tar', size: images.length, sha256: sha(images) }],
      ...extra,
    }),
  );
}

const END = Buffer.alloc(1024);

// Written by image-pack.ts's own ustar writer before node-tar encoded the headers (commit 6d385f6), gzipped.
/** A pack of one image, netlab/fixture:1, whose images.tar (4096 bytes) tags netlab/fixture:1 only. */
const EARLIER_PACK = gunzipSync(
  Buffer.from(
    'H4sIAAAAAAACA+2YTY/bIBCGffavQJyTdIYPf3Creu2p2lOjHIgNWbYbOzLeqm2U/17htM3KW20OK7tdLc/B2DDAIPwygNvrnfGrXnfJZAAAZEIMKQCMUhzeUXKQXEoe7JADyxMCyQw8+DB2gK5t++fsrpWPB/dKqFZ3vm2m7eP5+Q+wBEXOJQLLQj4ylHH+Z+F4SiJvmL1unDW+n3IZuKZ/BBzpn0vBo/7nYH2kH9rGuh1V9BwL6IJ+Mof2Ru88VWvamP5eb99Z961/6IxCulnQj/q76ULp5rSJEnrVdObQete3nTP+X8V/5PyJ/hlG/c8S/0cCp+pIkSqqXwg9xY1FJBKJ/M+cV//lQVdfJjsCXIv/GctH9z8ChYjxf5b4nxJCbdvtdU8V+bUZWLpwKzj8FHQRDL6azru2oYrg8F11Rvemfj/UYcCyJbIlZDeMKQAFYlVK+flcdWjKU0XWKSGEHIcnIbTRe3Pp8dH5YvHbwtWh3N9qJjP14v3I0OopJWQzuGXd/d+8Ouj+NvTq/lyLXvzx7kfwWECZXfIG70KNsjDGoCzAFMxsy6q0VcWk5ZjnCBXm1mBRbitRFVtkZVkXFmvDbV3nQhdWwiMH01MaF6ZIJDI5PwEOr8qZABoAAA==',
    'base64',
  ),
);
/** The header that writer made for an images.tar of 10 GiB + 5 bytes (mtime 1735689600). */
const EARLIER_10_GIB_HEADER = gunzipSync(
  Buffer.from('H4sIAAAAAAACA8vMTUxPLdYrSSxioBkwMDAwMDMxAdMGBgZwugEizdTAwMBqaGJubGpoYGQGkjc0MjEwYVAwYKADKC0G+d3AoCg/vwSfOkLy6J4bIgAAoYr3/wACAAA=', 'base64'),
);

async function writeRaw(name: string, ...parts: Buffer[]): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, Buffer.concat(parts));
  return file;
}

async function refusal(p: Promise<unknown>): Promise<LabError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LabError);
  return err as LabError;
}

describe('tar headers', () => {
  it('round-trips a regular file header with a valid checksum', () => {
    const h = tarHeader(IMAGES_NAME, 123456, 1_700_000_000);
    expect(h.length).toBe(512);
    expect(h.toString('latin1', 257, 265)).toBe('ustar\u000000');
    expect(parseHeader(h)).toEqual({ name: IMAGES_NAME, size: 123456 });
  });

  it('writes a size from 8 GiB up in base-256, byte for byte as earlier packs had it, and reads both back', () => {
    const big = 10 * 1024 ** 3 + 5;
    const h = tarHeader(IMAGES_NAME, big, 1_735_689_600);
    expect(h[124]).toBe(0x80);
    expect(h.subarray(124, 136)).toEqual(EARLIER_10_GIB_HEADER.subarray(124, 136));
    expect(parseHeader(h)).toEqual({ name: IMAGES_NAME, size: big });
    expect(parseHeader(EARLIER_10_GIB_HEADER)).toEqual({ name: IMAGES_NAME, size: big });
    expect(() => tarHeader(IMAGES_NAME, -1, 0)).toThrow(/out of range/);
    expect(() => tarHeader('x'.repeat(101), 1, 0)).toThrow(/too long/);
  });

  it('refuses a header whose checksum does not match, or whose numbers cannot be read', () => {
    const h = tarHeader(IMAGES_NAME, 10, 0);
    h[0] = 'I'.charCodeAt(0);
    expect(parseHeader(h)).toEqual({ refused: 'a tar header checksum is wrong', garbled: true });
    const odd = tarHeader(IMAGES_NAME, 10, 0);
    odd[100] = 0x81; // a base-256 mode that is neither positive (0x80) nor negative (0xff)
    fixChecksum(odd);
    expect(parseHeader(odd)).toEqual({ refused: 'a tar header is unreadable', garbled: true });
  });

  it('refuses links, directories, pax headers, absolute paths, ".." and other names', () => {
    const typed = (type: string, name = IMAGES_NAME): ReturnType<typeof parseHeader> => {
      const h = tarHeader(name, 0, 0);
      h.write(type, 156, 'latin1');
      fixChecksum(h);
      return parseHeader(h);
    };
    expect(typed('2')).toMatchObject({ refused: expect.stringContaining('a symbolic link') });
    expect(typed('1')).toMatchObject({ refused: expect.stringContaining('a hard link') });
    expect(typed('5')).toMatchObject({ refused: expect.stringContaining('a directory') });
    expect(typed('x')).toMatchObject({ refused: expect.stringContaining('pax') });
    expect(parseHeader(tarHeader('/etc/passwd', 1, 0))).toMatchObject({ refused: expect.stringContaining('absolute path') });
    expect(parseHeader(tarHeader('../images.tar', 1, 0))).toMatchObject({ refused: expect.stringContaining('".."') });
    expect(parseHeader(tarHeader('sub/../images.tar', 1, 0))).toMatchObject({ refused: expect.stringContaining('".."') });
    expect(parseHeader(tarHeader('./images.tar', 1, 0))).toMatchObject({ refused: expect.stringContaining('holds only') });
    expect(parseHeader(tarHeader('notes.txt', 1, 0))).toMatchObject({ refused: expect.stringContaining('holds only'), garbled: false });
  });

  it('joins the ustar prefix into the name (and so refuses a prefixed images.tar)', () => {
    const h = tarHeader(IMAGES_NAME, 1, 0);
    h.write('evil', 345, 'latin1');
    fixChecksum(h);
    expect(parseHeader(h)).toMatchObject({ refused: expect.stringContaining('evil/images.tar') });
  });
});

describe('writeImagePack', () => {
  it('writes a tar that GNU tar lists and extracts byte for byte, with a matching manifest', async () => {
    const data = fakeSave(300_000);
    const file = join(dir, 'course.netlab-images.tar');
    const events: ExportProgress[] = [];
    const size = await writeImagePack(file, IMAGES, chunked(data), (p) => events.push(p));

    expect(size).toBe((await stat(file)).size);
    expect(size % 512).toBe(0);
    const { stdout } = await execFileAsync('tar', ['tf', file]);
    expect(stdout.trim().split('\n')).toEqual([IMAGES_NAME, MANIFEST_NAME]);
    const extracted = join(dir, 'out');
    await mkdir(extracted);
    await execFileAsync('tar', ['xf', file, '-C', extracted]);
    expect(sha(await readFile(join(extracted, IMAGES_NAME)))).toBe(sha(data));

    const manifest = await readPackManifest(file);
    expect(manifest).toMatchObject({ format: 'netlab-image-pack', version: 1, images: IMAGES });
    expect(manifest.files).toEqual([{ path: IMAGES_NAME, size: data.length, sha256: sha(data) }]);
    expect(JSON.parse(await readFile(join(extracted, MANIFEST_NAME), 'utf8'))).toEqual(manifest);
    expect(Number.isNaN(Date.parse(manifest.createdAt))).toBe(false);

    expect(events.at(-1)).toEqual({ phase: 'write', bytes: size, total: size });
    const saves = events.filter((e) => e.phase === 'save');
    expect(saves.at(-1)?.bytes).toBe(data.length);
    // Throttled: not one event per 64 KiB chunk.
    expect(saves.length).toBeLessThan(5);
    expect(await readdir(dir)).toEqual(['course.netlab-images.tar', 'out']);
  });

  it('refuses a save that ends without the end-of-archive blocks, leaving the old file and no temp file', async () => {
    const file = join(dir, 'pack.tar');
    await writeFile(file, 'previous');
    const cut = fakeSave(4096).subarray(0, 3000);
    cut[2999] = 1;
    const err = await refusal(writeImagePack(file, IMAGES, chunked(cut)));
    expect(err.code).toBe('pack-save');
    expect(err.message).toMatch(/stopped sending the images.*try the export again/);
    expect(await readFile(file, 'utf8')).toBe('previous');
    expect(await readdir(dir)).toEqual(['pack.tar']);
  });

  it('refuses a save that fails midway and cleans up', async () => {
    async function* broken(): AsyncGenerator<Buffer> {
      yield Buffer.alloc(2048, 1);
      throw new Error('socket hang up');
    }
    const err = await refusal(writeImagePack(join(dir, 'p.tar'), IMAGES, broken()));
    expect(err.message).toContain('socket hang up');
    expect(await readdir(dir)).toEqual([]);
  });

  it('says so when the folder does not exist', async () => {
    const err = await refusal(writeImagePack(join(dir, 'missing', 'p.tar'), IMAGES, chunked(fakeSave(2048))));
    expect(err.code).toBe('pack-write');
    expect(err.message).toBe(`cannot write ${join(dir, 'missing', 'p.tar')}: the folder does not exist`);
  });
});

describe('readPackManifest', () => {
  it('reads a pack that GNU tar wrote (ustar and gnu formats, manifest first)', async () => {
    const data = fakeSave(5000);
    const src = join(dir, 'src');
    await mkdir(src);
    await writeFile(join(src, IMAGES_NAME), data);
    await writeFile(join(src, MANIFEST_NAME), manifestFor(data));
    for (const format of ['ustar', 'gnu']) {
      const file = join(dir, `${format}.tar`);
      await execFileAsync('tar', ['cf', file, `--format=${format}`, '-C', src, MANIFEST_NAME, IMAGES_NAME]);
      const pack = await openPack(file);
      expect(pack.manifest.images).toEqual(IMAGES);
      const images = pack.files.get(IMAGES_NAME);
      expect(images?.size).toBe(data.length);
      expect(sha((await readFile(file)).subarray(images?.offset, (images?.offset ?? 0) + data.length))).toBe(sha(data));
    }
  });

  it('says a missing file does not exist', async () => {
    const file = join(dir, 'nope.netlab-images.tar');
    const err = await refusal(readPackManifest(file));
    expect(err.code).toBe('pack-not-found');
    expect(err.message).toBe(`${file} does not exist`);
  });

  it.each([
    ['an empty file', Buffer.alloc(0), /it is empty/],
    ['a text file', Buffer.from('hello\n'.repeat(200)), /it is not a tar archive/],
    ['a tar of other files', Buffer.concat([entry('notes.txt', Buffer.from('hi')), END]), /it holds notes\.txt, but a pack holds only/],
    ['a tar without a manifest', Buffer.concat([entry(IMAGES_NAME, fakeSave(1024)), END]), /it has no netlab-pack\.json/],
    ['a tar with a symlink', Buffer.concat([entry(IMAGES_NAME, Buffer.alloc(0), (h) => h.write('2', 156, 'latin1')), END]), /symbolic link/],
    ['a tar with ".."', Buffer.concat([entry('../netlab-pack.json', Buffer.from('{}')), END]), /"\.\."/],
    ['a tar with an absolute path', Buffer.concat([entry('/images.tar', Buffer.from('x')), END]), /absolute path/],
  ])('refuses %s as not a pack', async (_label, bytes, message) => {
    const file = await writeRaw('x.tar', bytes);
    const err = await refusal(readPackManifest(file));
    expect(err.code).toBe('pack-invalid');
    expect(err.message.startsWith(`${file} is not a NetLab image pack: `)).toBe(true);
    expect(err.message).toMatch(message);
  });

  it('refuses a folder', async () => {
    const err = await refusal(readPackManifest(dir));
    expect(err.message).toMatch(/not a regular file/);
  });

  it('refuses a pack holding an entry twice', async () => {
    const data = fakeSave(1024);
    const file = await writeRaw('dup.tar', entry(MANIFEST_NAME, manifestFor(data)), entry(IMAGES_NAME, data), entry(IMAGES_NAME, data), END);
    expect((await refusal(readPackManifest(file))).message).toMatch(/holds images\.tar twice/);
  });

  it('calls a cut-short pack damaged', async () => {
    const data = fakeSave(4096);
    const whole = Buffer.concat([entry(MANIFEST_NAME, manifestFor(data)), entry(IMAGES_NAME, data), END]);
    const file = await writeRaw('cut.tar', whole.subarray(0, whole.length - END.length - 1000));
    const err = await refusal(readPackManifest(file));
    expect(err.code).toBe('pack-damaged');
    expect(err.message).toMatch(/ends early/);
  });

  it('calls a garbled second header damaged', async () => {
    const data = fakeSave(1024);
    const second = entry(IMAGES_NAME, data);
    second[10] = 0x41;
    const file = await writeRaw('garbled.tar', entry(MANIFEST_NAME, manifestFor(data)), second, END);
    const err = await refusal(readPackManifest(file));
    expect(err.code).toBe('pack-damaged');
    expect(err.message).toMatch(/checksum is wrong/);
  });

  it('calls a size that differs from the manifest damaged', async () => {
    const data = fakeSave(2048);
    const file = await writeRaw('size.tar', entry(MANIFEST_NAME, manifestFor(fakeSave(1536))), entry(IMAGES_NAME, data), END);
    const err = await refusal(readPackManifest(file));
    expect(err.code).toBe('pack-damaged');
    expect(err.message).toMatch(/images\.tar is 2048 bytes, the manifest says 1536/);
  });

  it('names the version of a pack from another NetLab', async () => {
    const data = fakeSave(1024);
    const file = await writeRaw('v3.tar', entry(MANIFEST_NAME, manifestFor(data, { version: 3 })), entry(IMAGES_NAME, data), END);
    const err = await refusal(readPackManifest(file));
    expect(err.code).toBe('pack-version');
    expect(err.message).toMatch(/is an image pack of version 3; this NetLab reads versions 1 and 2/);
  });

  it('validates the manifest: format, JSON, fields', () => {
    const data = fakeSave(1024);
    expect(() => parseManifest(manifestFor(data, { format: 'other' }).toString(), 'f')).toThrow(/does not say format "netlab-image-pack"/);
    expect(() => parseManifest('{nope', 'f')).toThrow(/netlab-pack\.json is not JSON/);
    expect(() => parseManifest(manifestFor(data, { images: [] }).toString(), 'f')).toThrow(/images/);
    expect(() => parseManifest(manifestFor(data, { images: [{ name: 'busybox', id: 'abc' }] }).toString(), 'f')).toThrow(/images\.0\.id/);
    expect(() => parseManifest(manifestFor(data, { createdAt: 'yesterday' }).toString(), 'f')).toThrow(/createdAt/);
    expect(() => parseManifest(manifestFor(data, { files: [{ path: '../x', size: 1024, sha256: sha(data) }] }).toString(), 'f')).toThrow(/files\.0\.path/);
    expect(parseManifest(manifestFor(data).toString(), 'f').files[0]?.sha256).toBe(sha(data));
  });
});

describe('importImagePack before the engine', () => {
  /** An engine that records every call; a pack refused before loading never reaches it. */
  function recordingDocker(arch = 'amd64'): { docker: Dockerode; calls: string[] } {
    const calls: string[] = [];
    const fail = (name: string) => (): never => {
      calls.push(name);
      throw new Error(`unexpected ${name}`);
    };
    // Asking the engine's architecture changes nothing: not recorded.
    const docker = {
      version: () => Promise.resolve({ Arch: arch }),
      loadImage: fail('loadImage'),
      getImage: fail('getImage'),
      modem: { dial: fail('dial'), followProgress: fail('followProgress') },
    };
    return { docker: docker as unknown as Dockerode, calls };
  }

  it('refuses a pack whose images.tar was changed, before loading anything', async () => {
    const data = fakeSave(200_000);
    const file = join(dir, 'p.netlab-images.tar');
    await writeImagePack(file, IMAGES, chunked(data));
    const bytes = await readFile(file);
    bytes[512 + 1234] = (bytes[512 + 1234] ?? 0) ^ 0xff;
    await writeFile(file, bytes);

    const { docker, calls } = recordingDocker();
    const phases: string[] = [];
    const err = await refusal(importImagePack(docker, file, (p) => phases.push(p.phase)));
    expect(err.code).toBe('pack-damaged');
    expect(err.message).toBe('the pack is damaged: images.tar checksum differs; copy it again');
    expect(calls).toEqual([]);
    expect(phases.length).toBeGreaterThan(0);
    expect(new Set(phases)).toEqual(new Set(['verify']));
  });

  /** A docker save archive in miniature whose manifest.json and repositories tag what they are given. */
  function savedWith(repoTags: string[], repositories: Record<string, Record<string, string>>, extra: Buffer[] = []): Buffer {
    return Buffer.concat([
      entry('c.json', Buffer.from('{}')),
      entry('l/layer.tar', Buffer.alloc(2048, 1)),
      ...extra,
      entry('manifest.json', Buffer.from(JSON.stringify([{ Config: 'c.json', RepoTags: repoTags, Layers: ['l/layer.tar'] }]))),
      entry('repositories', Buffer.from(JSON.stringify(repositories))),
      END,
    ]);
  }

  it('refuses a pack whose images.tar tags an image its manifest does not list, before loading anything', async () => {
    const listed: PackImage[] = [{ name: 'netlab-itest/x:1', id: ID }];
    const cases = [
      savedWith(['netlab-itest/x:1', 'busybox:latest'], { 'netlab-itest/x': { '1': 'a' } }),
      // Only the legacy file names it (docker reads it when manifest.json is absent).
      savedWith(['netlab-itest/x:1'], { 'netlab-itest/x': { '1': 'a' }, busybox: { latest: 'a' } }),
    ];
    for (const [i, inner] of cases.entries()) {
      const file = join(dir, `extra-${i}.netlab-images.tar`);
      await writeImagePack(file, listed, chunked(inner));
      const { docker, calls } = recordingDocker();
      const err = await refusal(importImagePack(docker, file));
      expect(err.code).toBe('pack-unlisted-tags');
      expect(err.message).toBe(
        "the pack's images.tar would also tag busybox:latest, which its manifest does not list (it lists netlab-itest/x:1); nothing was loaded",
      );
      expect(calls).toEqual([]);
    }
  });

  it('refuses a pack whose images.tar hides a tag file behind a link, before loading anything', async () => {
    const file = join(dir, 'link.netlab-images.tar');
    const link = entry('d', Buffer.alloc(0), (h) => {
      h.write('2', 156, 'latin1');
      h.write('.', 157, 'latin1');
    });
    const hidden = entry('d/manifest.json', Buffer.from(JSON.stringify([{ RepoTags: ['busybox:latest'] }])));
    await writeImagePack(file, IMAGES, chunked(savedWith(['busybox:latest'], {}, [link, hidden])));
    const { docker, calls } = recordingDocker();
    const err = await refusal(importImagePack(docker, file));
    expect(err.code).toBe('pack-invalid');
    expect(err.message).toBe("the pack's images.tar cannot be checked: d/manifest.json lies behind the link d; nothing was loaded");
    expect(calls).toEqual([]);
  });

  it('hands the engine a pack whose tags are all listed, however spelled', async () => {
    const file = join(dir, 'ok.netlab-images.tar');
    await writeImagePack(file, IMAGES, chunked(savedWith(['docker.io/library/busybox:latest'], { busybox: { latest: 'a' } })));
    const { docker, calls } = recordingDocker();
    await expect(importImagePack(docker, file)).rejects.toThrow('unexpected loadImage');
    expect(calls).toEqual(['loadImage']);
  });

  it('verifies and hands the engine a pack written before node-tar encoded the headers', async () => {
    const file = await writeRaw('earlier.netlab-images.tar', EARLIER_PACK);
    const pack = await openPack(file);
    expect(pack.manifest.images).toEqual([{ name: 'netlab/fixture:1', id: ID }]);
    expect(pack.files.get(IMAGES_NAME)).toMatchObject({ offset: 512, size: 4096 });
    const { docker, calls } = recordingDocker();
    const phases = new Set<string>();
    await expect(importImagePack(docker, file, (p) => phases.add(p.phase))).rejects.toThrow('unexpected loadImage');
    expect(calls).toEqual(['loadImage']);
    expect(phases).toEqual(new Set(['verify']));
  });

  it('refuses a non-pack without touching the engine', async () => {
    const { docker, calls } = recordingDocker();
    const file = await writeRaw('notes.txt', Buffer.from('not a pack'));
    expect((await refusal(importImagePack(docker, file))).code).toBe('pack-invalid');
    expect(calls).toEqual([]);
  });
});

describe('throttled', () => {
  it('reports the first count, each new MiB, and the final count', () => {
    const seen: [number, boolean | undefined][] = [];
    const report = throttled((n, final) => seen.push([n, final]));
    for (let n = 65536; n <= 3 * 1024 * 1024 + 10; n += 65536) report(n);
    report(3 * 1024 * 1024 + 10, true);
    expect(seen).toEqual([
      [65536, undefined],
      [1024 * 1024, undefined],
      [2 * 1024 * 1024, undefined],
      [3 * 1024 * 1024, undefined],
      [3 * 1024 * 1024 + 10, true],
    ]);
  });
});

describe('lessonImageNames', () => {
  it('normalises and deduplicates the lessons’ images in order', () => {
    const lessons = [{ lesson: { images: ['busybox', 'httpd'] } }, { lesson: { images: ['busybox:latest', 'netlab/tools:1.0'] } }];
    expect(lessonImageNames(lessons)).toEqual(['busybox:latest', 'httpd:latest', 'netlab/tools:1.0']);
  });
});

describe('packs with platforms (version 2)', () => {
  /** An image config and a docker save archive of it, saved by id (no tags), as the engine writes one. */
  function image(architecture: string, tags: string[] | null = null): { id: string; archive: Buffer } {
    const config = Buffer.from(JSON.stringify({ architecture, os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }));
    const hex = sha(config);
    const archive = Buffer.concat([
      entry(`${hex}.json`, config),
      entry('l/layer.tar', Buffer.alloc(2048, architecture === 'arm64' ? 2 : 1)),
      entry('manifest.json', Buffer.from(JSON.stringify([{ Config: `${hex}.json`, RepoTags: tags, Layers: ['l/layer.tar'] }]))),
      END,
    ]);
    return { id: `sha256:${hex}`, archive };
  }
  const amd = image('amd64');
  const arm = image('arm64');
  const both = [
    {
      name: 'busybox:latest',
      platforms: [
        { architecture: 'amd64', os: 'linux', id: amd.id },
        { architecture: 'arm64', os: 'linux', variant: 'v8', id: arm.id },
      ],
    },
  ];
  const source = (data: Buffer) => () => Promise.resolve(chunked(data));

  /** An engine that records every call and answers the load with an error (so nothing follows it). */
  function loadingDocker(arch: string): { docker: Dockerode; calls: string[]; loaded: () => Buffer } {
    const calls: string[] = [];
    const chunks: Buffer[] = [];
    const docker = {
      version: () => Promise.resolve({ Arch: arch }),
      loadImage: async (stream: NodeJS.ReadableStream) => {
        calls.push('loadImage');
        for await (const c of stream as AsyncIterable<Buffer>) chunks.push(c);
        throw new Error('stop after load');
      },
      getImage: (ref: string) => {
        calls.push(`getImage ${ref}`);
        throw new Error('unexpected getImage');
      },
    };
    return { docker: docker as unknown as Dockerode, calls, loaded: () => Buffer.concat(chunks) };
  }

  it('writes one file per architecture and a manifest naming each, which GNU tar lists', async () => {
    const file = join(dir, 'both.netlab-images.tar');
    const phases = new Set<string>();
    await writePlatformPack(file, both, [{ architecture: 'amd64', open: source(amd.archive) }, { architecture: 'arm64', open: source(arm.archive) }], (p) => phases.add(p.phase));
    expect(phases).toEqual(new Set(['save', 'write']));
    const { stdout } = await execFileAsync('tar', ['tf', file]);
    expect(stdout.trim().split('\n')).toEqual(['images-amd64.tar', 'images-arm64.tar', MANIFEST_NAME]);
    const out = join(dir, 'out');
    await mkdir(out);
    await execFileAsync('tar', ['xf', file, '-C', out]);
    expect(sha(await readFile(join(out, 'images-arm64.tar')))).toBe(sha(arm.archive));
    const manifest = await readPackManifest(file);
    expect(manifest).toMatchObject({ version: 2, images: both });
    expect(manifest.files).toEqual([
      { path: 'images-amd64.tar', architecture: 'amd64', size: amd.archive.length, sha256: sha(amd.archive) },
      { path: 'images-arm64.tar', architecture: 'arm64', size: arm.archive.length, sha256: sha(arm.archive) },
    ]);
  });

  it.each([
    ['arm64', arm],
    ['aarch64', arm],
    ['amd64', amd],
    ['x86_64', amd],
  ])('hands an engine that says %s the file of its architecture only', async (engineArch, expected) => {
    const file = join(dir, 'both.netlab-images.tar');
    await writePlatformPack(file, both, [{ architecture: 'amd64', open: source(amd.archive) }, { architecture: 'arm64', open: source(arm.archive) }]);
    const { docker, calls, loaded } = loadingDocker(engineArch);
    const totals = new Set<number>();
    await expect(importImagePack(docker, file, (p) => totals.add(p.total))).rejects.toThrow('stop after load');
    expect(calls).toEqual(['loadImage']);
    expect(sha(loaded())).toBe(sha(expected.archive));
    expect(totals).toEqual(new Set([expected.archive.length]));
  });

  it('refuses a pack without the engine’s architecture before reading its images, naming both', async () => {
    const file = join(dir, 'arm-only.netlab-images.tar');
    const armOnly = [{ name: 'busybox:latest', platforms: [{ architecture: 'arm64', os: 'linux', id: arm.id }] }];
    await writePlatformPack(file, armOnly, [{ architecture: 'arm64', open: source(arm.archive) }]);
    const { docker, calls } = loadingDocker('amd64');
    const phases: string[] = [];
    const err = await refusal(importImagePack(docker, file, (p) => phases.push(p.phase)));
    expect(err.code).toBe('pack-platform');
    expect(err.message).toMatch(/^this pack holds busybox:latest for arm64 only, but this engine runs amd64; nothing was loaded\./);
    expect(calls).toEqual([]);
    expect(phases).toEqual([]);
    // The near miss: the same pack on an arm64 engine goes to loading.
    await expect(importImagePack(loadingDocker('arm64').docker, file)).rejects.toThrow('stop after load');
  });

  it('refuses a file whose image config is for another architecture than its manifest says, before loading', async () => {
    const file = join(dir, 'lying.netlab-images.tar');
    const lying = [{ name: 'busybox:latest', platforms: [{ architecture: 'amd64', os: 'linux', id: arm.id }] }];
    await writePlatformPack(file, lying, [{ architecture: 'amd64', open: source(arm.archive) }]);
    const { docker, calls } = loadingDocker('amd64');
    const err = await refusal(importImagePack(docker, file));
    expect(err.code).toBe('pack-platform');
    expect(err.message).toMatch(/^this pack holds busybox:latest for arm64 only, but this engine runs amd64/);
    expect(calls).toEqual([]);
  });

  it('refuses a file that tags anything, or lacks the listed image, before loading', async () => {
    const tagged = image('amd64', ['busybox:latest']);
    const file = join(dir, 'tagged.netlab-images.tar');
    await writePlatformPack(file, [{ name: 'busybox:latest', platforms: [{ architecture: 'amd64', os: 'linux', id: tagged.id }] }], [
      { architecture: 'amd64', open: source(tagged.archive) },
    ]);
    const first = loadingDocker('amd64');
    const err = await refusal(importImagePack(first.docker, file));
    expect(err.code).toBe('pack-unlisted-tags');
    expect(err.message).toBe(
      "the pack's images-amd64.tar would tag busybox:latest, which a version 2 pack never does (import tags its images itself); nothing was loaded",
    );
    expect(first.calls).toEqual([]);

    const other = join(dir, 'other.netlab-images.tar');
    await writePlatformPack(other, [{ name: 'busybox:latest', platforms: [{ architecture: 'amd64', os: 'linux', id: ID }] }], [
      { architecture: 'amd64', open: source(amd.archive) },
    ]);
    const second = loadingDocker('amd64');
    expect((await refusal(importImagePack(second.docker, other))).message).toBe(
      `the pack's images-amd64.tar does not hold busybox:latest's image (${ID}); nothing was loaded`,
    );
    expect(second.calls).toEqual([]);
  });

  it('refuses a version 1 pack whose image is for another architecture, naming both, before loading', async () => {
    const file = join(dir, 'v1-arm.netlab-images.tar');
    await writeImagePack(file, [{ name: 'busybox:latest', id: arm.id }], chunked(image('arm64', ['busybox:latest']).archive));
    const { docker, calls } = loadingDocker('amd64');
    const err = await refusal(importImagePack(docker, file));
    expect(err.code).toBe('pack-platform');
    expect(err.message).toMatch(/^this pack holds busybox:latest for arm64 only, but this engine runs amd64; nothing was loaded\./);
    expect(calls).toEqual([]);
    // On its own architecture it loads, as it always did.
    await expect(importImagePack(loadingDocker('arm64').docker, file)).rejects.toThrow('stop after load');
  });

  it('validates a version 2 manifest: each file named for its architecture, every platform with a file', () => {
    const v2 = (extra: Record<string, unknown>): string =>
      JSON.stringify({
        format: 'netlab-image-pack',
        version: 2,
        createdAt: '2025-01-01T00:00:00.000Z',
        images: both,
        files: [
          { path: 'images-amd64.tar', architecture: 'amd64', size: 1024, sha256: sha(amd.archive) },
          { path: 'images-arm64.tar', architecture: 'arm64', size: 1024, sha256: sha(arm.archive) },
        ],
        ...extra,
      });
    expect(parseManifest(v2({}), 'f').version).toBe(2);
    expect(() => parseManifest(v2({ files: [{ path: 'images-amd64.tar', architecture: 'amd64', size: 1024, sha256: sha(amd.archive) }] }), 'f')).toThrow(
      /no file holds the arm64 images/,
    );
    expect(() =>
      parseManifest(
        v2({
          files: [
            { path: 'images-arm64.tar', architecture: 'amd64', size: 1024, sha256: sha(amd.archive) },
            { path: 'images-amd64.tar', architecture: 'arm64', size: 1024, sha256: sha(arm.archive) },
          ],
        }),
        'f',
      ),
    ).toThrow(/images-arm64\.tar is not named for amd64/);
    expect(() => parseManifest(v2({ images: [{ name: 'busybox@sha256:abc', platforms: both[0]?.platforms }] }), 'f')).toThrow(/by tag/);
    expect(() => parseManifest(v2({ images: [...both, ...both] }), 'f')).toThrow(/busybox:latest is listed twice/);
  });

  it('refuses a pack holding a file its manifest does not list', async () => {
    const file = join(dir, 'extra.tar');
    const m = Buffer.from(
      JSON.stringify({
        format: 'netlab-image-pack',
        version: 2,
        createdAt: '2025-01-01T00:00:00.000Z',
        images: [{ name: 'busybox:latest', platforms: [{ architecture: 'amd64', os: 'linux', id: amd.id }] }],
        files: [{ path: 'images-amd64.tar', architecture: 'amd64', size: amd.archive.length, sha256: sha(amd.archive) }],
      }),
    );
    await writeFile(file, Buffer.concat([entry('images-amd64.tar', amd.archive), entry('images-arm64.tar', arm.archive), entry(MANIFEST_NAME, m), END]));
    expect((await refusal(readPackManifest(file))).message).toBe(`${file} is not a NetLab image pack: it holds images-arm64.tar, which its netlab-pack.json does not list`);
  });
});
