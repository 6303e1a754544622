// Packing and unpacking a lesson folder for the class: the refusals on both sides, with real files,
// real tars (hostile ones written header by header) and a real FIFO.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { link, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Header } from 'tar';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkLessonTar, ContentRefused, packLessonFolder, sha256File, unpackLessonTar, type ContentLimits } from './content-pack';

const COURSE = resolve(__dirname, '../../../test/fixtures/courses/instructor-course');
const SMALL: ContentLimits = { maxFiles: 3, maxBytes: 1000, maxDepth: 3, maxPathLength: 100 };

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'netlab-content-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface RawEntry {
  path: string;
  type?: string;
  body?: string;
  linkpath?: string;
  size?: number;
}

/** A tar written header by header, so it can hold what no well-behaved packer writes. */
async function rawTar(name: string, entries: RawEntry[]): Promise<string> {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    const body = Buffer.from(e.body ?? '');
    const type = e.type ?? 'File';
    const h = new Header({ path: e.path, type: type as never, size: e.size ?? (type === 'File' ? body.length : 0), mode: 0o644, mtime: new Date(0), uid: 0, gid: 0, ...(e.linkpath ? { linkpath: e.linkpath } : {}) });
    const block = Buffer.alloc(512);
    h.encode(block, 0);
    blocks.push(block);
    if (body.length) blocks.push(body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  const file = join(dir, name);
  await writeFile(file, Buffer.concat(blocks));
  return file;
}

async function tree(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) {
      const full = join(e.parentPath, e.name);
      out[full.slice(root.length + 1)] = await readFile(full, 'utf8');
    }
  }
  return out;
}

describe('packLessonFolder and unpackLessonTar', () => {
  it('carries a course folder byte for byte, with the same hash each time', async () => {
    const a = await packLessonFolder(COURSE, join(dir, 'a.tar'));
    const b = await packLessonFolder(COURSE, join(dir, 'b.tar'));
    expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(b.sha256).toBe(a.sha256);
    expect(a.sha256).toBe(await sha256File(join(dir, 'a.tar')));
    await unpackLessonTar(join(dir, 'a.tar'), join(dir, 'out'));
    expect(await tree(join(dir, 'out'))).toEqual(await tree(COURSE));
  });

  it('packs one lesson folder under its own name', async () => {
    await packLessonFolder(join(COURSE, 'instructor-quiz'), join(dir, 'one.tar'));
    await unpackLessonTar(join(dir, 'one.tar'), join(dir, 'out'));
    expect(Object.keys(await tree(join(dir, 'out'))).sort()).toEqual(['instructor-quiz/en.md', 'instructor-quiz/lesson.yaml', 'instructor-quiz/zh-CN.md']);
  });

  it('refuses to pack a symbolic link, a hard link, a FIFO, too many files or too many bytes', async () => {
    const make = async (name: string, fill: (d: string) => Promise<void>): Promise<string> => {
      const d = join(dir, name);
      await mkdir(join(d, 'l1'), { recursive: true });
      await writeFile(join(d, 'l1', 'lesson.md'), 'hi');
      await fill(d);
      return d;
    };
    const cases: [string, (d: string) => Promise<void>, RegExp][] = [
      ['symlink', async (d) => void (await symlink('/etc/passwd', join(d, 'l1', 'passwd'))), /symbolic link/],
      ['hardlink', async (d) => void (await link(join(d, 'l1', 'lesson.md'), join(d, 'l1', 'again.md'))), /hard links/],
      ['fifo', async (d) => void execFileSync('mkfifo', [join(d, 'l1', 'pipe')]), /device, pipe or socket/],
      ['many', async (d) => { for (const n of ['a', 'b', 'c']) await writeFile(join(d, 'l1', n), 'x'); }, /more than 3 files/],
      ['big', async (d) => void (await writeFile(join(d, 'l1', 'big'), Buffer.alloc(2000))), /more than 0 MiB/],
      ['deep', async (d) => void (await mkdir(join(d, 'l1', 'a', 'b', 'c'), { recursive: true })), /nested deeper than 3/],
    ];
    for (const [name, fill, message] of cases) {
      const d = await make(name, fill);
      const out = join(dir, `${name}.tar`);
      await expect(packLessonFolder(d, out, SMALL), name).rejects.toThrow(message);
      expect(existsSync(out), name).toBe(false);
    }
    await expect(packLessonFolder(join(dir, 'nowhere'), join(dir, 'x.tar'))).rejects.toThrow(/is not a folder/);
  });

  it('refuses a hostile tar whole and writes nothing: link, device, .., absolute, too many, too big', async () => {
    const ok: RawEntry = { path: 'l1/en.md', body: 'fine' };
    const cases: [string, RawEntry[], RegExp, ContentLimits?][] = [
      ['symlink', [ok, { path: 'l1/passwd', type: 'SymbolicLink', linkpath: '/etc/passwd' }], /symbolic link/],
      ['hardlink', [ok, { path: 'l1/passwd', type: 'Link', linkpath: '/etc/passwd' }], /hard link/],
      ['chardev', [ok, { path: 'l1/null', type: 'CharacterDevice' }], /CharacterDevice/],
      ['fifo', [ok, { path: 'l1/p', type: 'FIFO' }], /FIFO/],
      ['dotdot', [ok, { path: 'l1/../../escape.md', body: 'out' }], /"\.\." in the path/],
      ['absolute', [ok, { path: '/tmp/netlab-escape.md', body: 'out' }], /absolute path/],
      ['backslash', [ok, { path: 'l1\\..\\x.md', body: 'out' }], /backslash/],
      ['twice', [ok, { path: 'l1/en.md', body: 'again' }], /named twice/],
      ['many', [ok, { path: 'l1/a', body: 'a' }, { path: 'l1/b', body: 'b' }, { path: 'l1/c', body: 'c' }], /more than 3 files/, SMALL],
      ['big', [ok, { path: 'l1/big', body: 'x'.repeat(1200) }], /more than 0 MiB/, SMALL],
      ['empty', [{ path: 'l1/', type: 'Directory' }], /holds no files/],
    ];
    for (const [name, entries, message, limits] of cases) {
      const file = await rawTar(`${name}.tar`, entries);
      const dest = join(dir, 'content', name);
      await expect(unpackLessonTar(file, dest, limits), name).rejects.toThrow(message);
      await expect(unpackLessonTar(file, dest, limits)).rejects.toBeInstanceOf(ContentRefused);
      expect(existsSync(dest), name).toBe(false);
    }
    // Nothing escaped, and no partial folder was left beside the targets.
    expect(existsSync(join(dir, 'escape.md'))).toBe(false);
    expect(existsSync('/tmp/netlab-escape.md')).toBe(false);
    expect(await readdir(join(dir, 'content')).catch(() => [])).toEqual([]);
  });

  it('refuses what is not a tar, and a truncated one', async () => {
    await writeFile(join(dir, 'junk.tar'), 'not a tar at all'.repeat(64));
    await expect(checkLessonTar(join(dir, 'junk.tar'))).rejects.toBeInstanceOf(ContentRefused);
    const good = await packLessonFolder(COURSE, join(dir, 'good.tar'));
    const bytes = await readFile(join(dir, 'good.tar'));
    await writeFile(join(dir, 'cut.tar'), bytes.subarray(0, 700));
    expect(good.sizeBytes).toBeGreaterThan(700);
    await expect(unpackLessonTar(join(dir, 'cut.tar'), join(dir, 'cut'))).rejects.toBeInstanceOf(ContentRefused);
    expect(existsSync(join(dir, 'cut'))).toBe(false);
  });
});
