// Reading the app electron-builder made (npm run package:check), for test/package/.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { getRawHeader } from '@electron/asar';
import { PACKAGE_CHECK_RECORD, type PackageCheckRecord } from '../../scripts/package-check';

export const root = resolve(__dirname, '../..');
export const appOutDir = join(root, 'dist/linux-unpacked');
export const resources = join(appOutDir, 'resources');
export const archive = join(resources, 'app.asar');
/** electron-builder names the Linux executable after package.json's name. */
export const executable = join(appOutDir, 'netlab');

export interface ArchivedFile {
  size: number;
  /** Stored beside the archive in app.asar.unpacked, as native modules must be. */
  unpacked: boolean;
}

interface HeaderNode {
  files?: Record<string, HeaderNode>;
  size?: number;
  unpacked?: boolean;
  link?: string;
}

/** Every file in the archive (unpacked ones included), by its path inside it with `/` separators. */
export function archivedFiles(file: string): Map<string, ArchivedFile> {
  const files = new Map<string, ArchivedFile>();
  const walk = (node: HeaderNode, prefix: string): void => {
    for (const [name, child] of Object.entries(node.files ?? {})) {
      const path = prefix ? `${prefix}/${name}` : name;
      if (child.files) walk(child, path);
      else if (child.link === undefined) files.set(path, { size: child.size ?? 0, unpacked: child.unpacked === true });
    }
  };
  walk(getRawHeader(file).header as HeaderNode, '');
  return files;
}

/** The package names found in an archive's node_modules folders (nested ones too). */
export function shippedPackages(paths: Iterable<string>): Set<string> {
  const names = new Set<string>();
  for (const path of paths) {
    const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/@][^/]*)\/package\.json$/.exec(path);
    if (match?.[1]) names.add(match[1]);
  }
  return names;
}

/** Kinds of file the app never needs at run time, each with the paths that give one away. */
export const JUNK: ReadonlyArray<readonly [kind: string, pattern: RegExp]> = [
  ['source map', /\.map$/],
  ['TypeScript or Svelte source', /\.(ts|mts|cts|tsx|svelte)$/],
  ['test', /(^|\/)(test|tests|__tests__|spec|specs)\/|\.(test|spec)\.[cm]?[jt]sx?$|(^|\/)test\.[cm]?js$/],
  ['native build input', /\.(c|cc|cpp|h|gyp|gypi)$|(^|\/)Makefile$/],
];

/** Paths of the kind `pattern` describes, for an assertion's message. */
export function junkOf(paths: Iterable<string>, pattern: RegExp): string[] {
  return [...paths].filter((path) => pattern.test(path));
}

/** What scripts/package-check.ts recorded about the build, or an error naming the command. */
export function packageCheckRecord(): PackageCheckRecord {
  const file = join(root, PACKAGE_CHECK_RECORD);
  if (!existsSync(file) || !existsSync(archive)) {
    throw new Error(`${archive} is missing: run npm run package:check (it builds the app, then runs these tests)`);
  }
  return JSON.parse(readFileSync(file, 'utf8')) as PackageCheckRecord;
}

export const MiB = 1024 * 1024;
