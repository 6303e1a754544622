// A lesson folder as the classroom carries it: one tar, packed by the hub and unpacked by a learner
// who accepted it, with the same refusals on both sides. Only regular files and folders; no
// symbolic or hard links, devices, pipes or sockets; no absolute path, no `..`, no backslash;
// bounded file count, depth and total size. The learner checks every entry before writing any,
// unpacks into a hidden folder beside the target and renames it only when all went well, so a
// refused tar leaves nothing behind.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { create, extract, list, type ReadEntry } from 'tar';
import { MANIFEST_FILE } from '../lessons/lesson-files';

export interface ContentLimits {
  maxFiles: number;
  /** The sum of the files' sizes. */
  maxBytes: number;
  maxDepth: number;
  maxPathLength: number;
}

/** A course of a few dozen lessons is far below these; anything near them is not a lesson folder. */
export const LESSON_FOLDER_LIMITS: ContentLimits = { maxFiles: 500, maxBytes: 20 * 1024 * 1024, maxDepth: 8, maxPathLength: 240 };

/** The tar of a folder within the limits is at most this big (a 512-byte header per entry, padding, the end). */
export function maxTarBytes(limits: ContentLimits): number {
  return limits.maxBytes + (limits.maxFiles * 2 + 4) * 1024 + 10 * 1024;
}

export class ContentRefused extends Error {
  override name = 'ContentRefused';
}

export interface PackedFolder {
  files: number;
  sizeBytes: number;
  sha256: string;
}

/**
 * Packs a course folder (one sub-folder per lesson) or one lesson's folder (it holds lesson.yaml:
 * packed under its own name) into `outFile`. Refuses, naming the path, anything but files and
 * folders, and a folder over the limits. Returns the tar's size and SHA-256.
 */
export async function packLessonFolder(dir: string, outFile: string, limits: ContentLimits = LESSON_FOLDER_LIMITS): Promise<PackedFolder> {
  const root = await lstat(dir).catch(() => null);
  if (!root?.isDirectory()) throw new ContentRefused(`${dir} is not a folder.`);
  const single = await stat(join(dir, MANIFEST_FILE)).then((s) => s.isFile(), () => false);
  const cwd = single ? dirname(dir) : dir;
  const entries: string[] = [];
  let files = 0;
  let bytes = 0;
  const walk = async (rel: string, depth: number): Promise<void> => {
    for (const d of await readdir(join(cwd, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${d.name}` : d.name;
      const problem = pathProblem(path, limits);
      if (problem) throw new ContentRefused(`${join(cwd, path)}: ${problem}`);
      const st = await lstat(join(cwd, path));
      if (st.isSymbolicLink()) throw new ContentRefused(`${join(cwd, path)} is a symbolic link: a lesson folder to offer holds only files and folders.`);
      if (st.isDirectory()) {
        if (depth + 1 > limits.maxDepth) throw new ContentRefused(`${join(cwd, path)}: folders nested deeper than ${limits.maxDepth}.`);
        entries.push(path);
        await walk(path, depth + 1);
      } else if (st.isFile()) {
        if (st.nlink > 1) throw new ContentRefused(`${join(cwd, path)} has other hard links: copy it into the folder instead.`);
        files++;
        bytes += st.size;
        if (files > limits.maxFiles) throw new ContentRefused(`${dir} holds more than ${limits.maxFiles} files.`);
        if (bytes > limits.maxBytes) throw new ContentRefused(`${dir} holds more than ${mib(limits.maxBytes)} of files.`);
        entries.push(path);
      } else {
        throw new ContentRefused(`${join(cwd, path)} is a device, pipe or socket: a lesson folder to offer holds only files and folders.`);
      }
    }
  };
  if (single) {
    entries.push(basename(dir));
    await walk(basename(dir), 1);
  } else {
    await walk('', 0);
  }
  if (files === 0) throw new ContentRefused(`${dir} holds no files.`);
  // Each entry is named explicitly (no recursion), and checked again as it is read: a file swapped
  // for a link or a device since the walk is refused, not packed.
  let swapped: string | null = null;
  await create(
    {
      cwd,
      file: outFile,
      portable: true,
      noMtime: true,
      noDirRecurse: true,
      filter: (path, st) => {
        const ok = 'isFile' in st && (st.isFile() || st.isDirectory());
        if (!ok) swapped ??= path;
        return ok;
      },
    },
    entries,
  );
  const packed = await stat(outFile);
  if (swapped !== null || packed.size > maxTarBytes(limits)) {
    await rm(outFile, { force: true });
    throw new ContentRefused(swapped !== null ? `${join(cwd, swapped)} changed while it was packed: offer the folder again.` : `${dir} grew while it was packed: offer it again.`);
  }
  return { files, sizeBytes: packed.size, sha256: await sha256File(outFile) };
}

/** SHA-256 of a file, streamed. */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

/**
 * Unpacks a lesson folder's tar into `dest` (which must not exist yet). Every entry is checked
 * first; one refusal refuses the whole tar and nothing is written. Files get 0644, folders 0755.
 */
export async function unpackLessonTar(file: string, dest: string, limits: ContentLimits = LESSON_FOLDER_LIMITS): Promise<{ files: number }> {
  const checked = await checkLessonTar(file, limits);
  if (await lstat(dest).then(() => true, () => false)) throw new ContentRefused(`${dest} exists already.`);
  await mkdir(dirname(dest), { recursive: true, mode: 0o700 });
  const partial = join(dirname(dest), `.${basename(dest)}.partial-${randomBytes(4).toString('hex')}`);
  await mkdir(partial, { mode: 0o700 });
  try {
    let refused: string | null = null;
    await extract({
      file,
      cwd: partial,
      strict: true,
      preservePaths: false,
      preserveOwner: false,
      noChmod: true,
      maxDepth: limits.maxDepth + 1,
      filter: (path, entry) => {
        // The check above passed; this is the second lock on the same door.
        const e = entry as ReadEntry;
        const problem = entryProblem(e, limits);
        if (problem) refused ??= `${path}: ${problem}`;
        e.mode = e.type === 'Directory' ? 0o755 : 0o644;
        return problem === null;
      },
      onwarn: (_code, message) => {
        refused ??= message;
      },
    });
    if (refused !== null) throw new ContentRefused(`The lesson folder was refused: ${refused}`);
    await rename(partial, dest);
  } catch (err) {
    await rm(partial, { recursive: true, force: true });
    throw err instanceof ContentRefused ? err : new ContentRefused(`The lesson folder could not be unpacked: ${(err as Error).message}`);
  }
  return checked;
}

/** Reads every entry of a tar without writing anything; throws ContentRefused at the first problem. */
export async function checkLessonTar(file: string, limits: ContentLimits = LESSON_FOLDER_LIMITS): Promise<{ files: number }> {
  let files = 0;
  let bytes = 0;
  let problem: string | null = null;
  const seen = new Set<string>();
  try {
    await list({
      file,
      strict: true,
      onReadEntry: (entry) => {
        if (problem !== null) return;
        const p = entryProblem(entry, limits);
        if (p) {
          problem = `${entry.path}: ${p}`;
          return;
        }
        const key = entry.path.replace(/\/+$/, '');
        if (seen.has(key)) problem = `${entry.path}: named twice`;
        seen.add(key);
        if (entry.type !== 'Directory') {
          files++;
          bytes += entry.size ?? 0;
          if (files > limits.maxFiles) problem = `more than ${limits.maxFiles} files`;
          else if (bytes > limits.maxBytes) problem = `more than ${mib(limits.maxBytes)} of files`;
        }
      },
    });
  } catch (err) {
    throw new ContentRefused(`The lesson folder was refused: not a readable tar (${(err as Error).message}).`);
  }
  if (problem !== null) throw new ContentRefused(`The lesson folder was refused: ${problem}.`);
  if (files === 0) throw new ContentRefused('The lesson folder was refused: it holds no files.');
  return { files };
}

function entryProblem(entry: ReadEntry, limits: ContentLimits): string | null {
  if (entry.type !== 'File' && entry.type !== 'OldFile' && entry.type !== 'Directory') {
    const what = entry.type === 'SymbolicLink' ? 'a symbolic link' : entry.type === 'Link' ? 'a hard link' : `a ${entry.type} entry`;
    return `${what}: only files and folders are accepted`;
  }
  if (entry.type === 'Directory' && (entry.size ?? 0) > 0) return 'a folder with contents of its own';
  return pathProblem(entry.path.replace(/\/+$/, ''), limits);
}

/** What is wrong with a relative path inside the tar, if anything. */
export function pathProblem(path: string, limits: ContentLimits): string | null {
  if (path.length === 0) return 'an empty name';
  if (path.length > limits.maxPathLength) return `a path longer than ${limits.maxPathLength} characters`;
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'an absolute path';
  if (path.includes('\\')) return 'a backslash in a name';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(path)) return 'a control character in a name';
  const parts = path.split('/');
  if (parts.some((p) => p === '..')) return 'a ".." in the path';
  if (parts.some((p) => p === '' || p === '.')) return 'an empty or "." part in the path';
  if (parts.length > limits.maxDepth + 1) return `folders nested deeper than ${limits.maxDepth}`;
  return null;
}

function mib(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MiB`;
}
