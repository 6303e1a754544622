// What electron-builder packed (npm run package:check builds dist/linux-unpacked first):
// the built app is inside app.asar, native code beside it, lessons as plain files, and
// nothing the app does not run. Read with @electron/asar, as Electron would see it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, posix, relative, sep } from 'node:path';
import { extractAll, extractFile } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { appPaths } from '../../electron/main/paths';
import { prebuiltResult, readPrebuilt } from '../../electron/services/lessons/prebuilt-lessons';
import { JUNK, MiB, appOutDir, archive, executable, archivedFiles, junkOf, packageCheckRecord, resources, root, shippedPackages, type ArchivedFile } from './packaged-app';

/**
 * Size budgets. Measured 2026-12-07 with the stand-in build: app.asar 10.6 MiB,
 * app.asar.unpacked 2.6 MiB. The headroom takes a dependency update, not a new library.
 */
const ARCHIVE_BUDGET = 13 * MiB;
const UNPACKED_BUDGET = 4 * MiB;

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  main: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

let files: Map<string, ArchivedFile>;
let extracted: string | undefined;

/** The archive extracted (unpacked files included), for what must be read as real files. */
function extractedTree(): string {
  if (extracted) return extracted;
  const dir = mkdtempSync(join(tmpdir(), 'netlab-app-asar-'));
  try {
    extractAll(archive, dir);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`app.asar does not extract (is a file it lists as unpacked missing from app.asar.unpacked?): ${String(error)}`);
  }
  return (extracted = dir);
}

// Read at collection time: which tests apply depends on the Electron the app was built with.
const record = packageCheckRecord();

beforeAll(() => {
  console.log(`package:check: ${appOutDir} built with ${record.electron === 'real' ? 'the real' : 'a stand-in'} Electron ${record.electronVersion}` +
    (record.fusesFlipped ? '' : '; fuses not flipped, native modules not rebuilt for Electron'));
  files = archivedFiles(archive);
});

afterAll(() => {
  if (extracted) rmSync(extracted, { recursive: true, force: true });
});

/** Every file under `dir`, relative to it with `/` separators. */
function filesUnder(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((name) => statSync(join(dir, name)).isFile())
    .map((name) => name.split(sep).join('/'))
    .sort();
}

/** A path appPaths() gave, as a path inside the archive, or undefined when it lies outside. */
function insideArchive(path: string): string | undefined {
  const rel = relative(archive, path);
  return rel.startsWith('..') || rel === '' ? undefined : rel.split(sep).join('/');
}

describe('app.asar', () => {
  it('holds the built main process, preload and renderer', () => {
    for (const path of ['out/main/index.js', 'out/preload/index.js', 'out/renderer/index.html', 'package.json']) {
      expect(files.has(path), `${path} is not in app.asar`).toBe(true);
    }
    expect(files.has(posix.normalize(pkg.main)), `package.json "main" (${pkg.main}) is not in app.asar`).toBe(true);
  });

  it('keeps node-pty\'s native module outside the archive, in app.asar.unpacked', () => {
    const native = 'node_modules/node-pty/build/Release/pty.node';
    expect(files.get(native), `${native} is not in the archive`).toMatchObject({ unpacked: true });
    const onDisk = join(`${archive}.unpacked`, native);
    expect(existsSync(onDisk), `${onDisk} is missing`).toBe(true);
    // The Linux build of the module: an ELF shared object.
    expect(readFileSync(onDisk).subarray(0, 4).toString('latin1')).toBe('\x7fELF');
    const packedNative = [...files].filter(([path, file]) => path.endsWith('.node') && !file.unpacked).map(([path]) => path);
    expect(packedNative, 'native modules inside the archive cannot be loaded').toEqual([]);
  });

  it('holds only the built app and its dependencies', () => {
    const topLevel = new Set([...files.keys()].map((path) => path.split('/')[0]));
    expect([...topLevel].sort()).toEqual(['node_modules', 'out', 'package.json']);
    const outFolders = new Set([...files.keys()].filter((path) => path.startsWith('out/')).map((path) => path.split('/')[1]));
    expect([...outFolders].sort()).toEqual(['main', 'preload', 'renderer']);
  });

  it.each(JUNK)('holds no %s', (_kind, pattern) => {
    const found = junkOf(files.keys(), pattern);
    expect(found.slice(0, 20), `${found.length} found; exclude them in electron-builder.yml "files"`).toEqual([]);
  });

  it('ships every dependency and no devDependency', () => {
    const shipped = shippedPackages(files.keys());
    const devOnly = Object.keys(pkg.devDependencies).filter((name) => shipped.has(name));
    expect(devOnly, 'devDependencies in app.asar').toEqual([]);
    const missing = Object.keys(pkg.dependencies).filter((name) => !files.has(`node_modules/${name}/package.json`));
    expect(missing, 'dependencies missing from app.asar').toEqual([]);
  });

  it('loads every module the built main process requires from the packaged tree', () => {
    // The bundle's own require("…") calls (comments quote with '), plus every dependency.
    const bare = new Set(Object.keys(pkg.dependencies));
    for (const path of files.keys()) {
      if (!/^out\/(main|preload)\/.*\.js$/.test(path)) continue;
      for (const [, name] of readFileSync(join(extractedTree(), path), 'utf8').matchAll(/\brequire\("([^".][^"]*)"\)/g)) {
        if (name && name !== 'electron' && !name.startsWith('node:') && !builtinModules.includes(name)) bare.add(name);
      }
    }
    // A plain Node in the extracted tree, so nothing resolves from the project's own node_modules.
    const probe = `const r = require('node:module').createRequire(process.cwd() + '/package.json');
      const failed = [];
      for (const name of JSON.parse(process.argv[1])) { try { r(name); } catch (e) { failed.push(name + ': ' + String(e.message).split('\\n')[0]); } }
      process.stdout.write(JSON.stringify(failed));`;
    const run = spawnSync(process.execPath, ['-e', probe, JSON.stringify([...bare].sort())], { cwd: extractedTree(), encoding: 'utf8', timeout: 60_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout) as string[]).toEqual([]);
    expect(bare.size).toBeGreaterThan(Object.keys(pkg.dependencies).length);
  });

  it('stays within its size budget', () => {
    const size = statSync(archive).size;
    const unpacked = [...files.values()].filter((file) => file.unpacked).reduce((sum, file) => sum + file.size, 0);
    console.log(`package:check: app.asar ${(size / MiB).toFixed(2)} MiB (budget ${ARCHIVE_BUDGET / MiB} MiB); ` +
      `app.asar.unpacked ${(unpacked / MiB).toFixed(2)} MiB (budget ${UNPACKED_BUDGET / MiB} MiB)`);
    expect(size).toBeLessThanOrEqual(ARCHIVE_BUDGET);
    expect(unpacked).toBeLessThanOrEqual(UNPACKED_BUDGET);
  });
});

describe('resources', () => {
  it('ship the lessons as plain files, identical to the repository\'s', () => {
    const shipped = join(resources, 'lessons');
    expect(filesUnder(shipped)).toEqual(filesUnder(join(root, 'lessons')));
    for (const name of filesUnder(shipped)) {
      expect(readFileSync(join(shipped, name)).equals(readFileSync(join(root, 'lessons', name))), name).toBe(true);
    }
    expect([...files.keys()].filter((path) => path.startsWith('lessons/'))).toEqual([]);
  });
});

describe('appPaths() in the packaged tree', () => {
  // As in electron/main/index.ts: __dirname of out/main/index.js, app.isPackaged, process.resourcesPath.
  const paths = appPaths(join(archive, 'out', 'main'), true, resources);

  it('finds the preload and the renderer inside app.asar', () => {
    const preload = insideArchive(paths.preload);
    expect(preload && files.has(preload), `${paths.preload} is not in app.asar`).toBe(true);
    expect(extractFile(archive, preload!).toString('utf8')).toContain('contextBridge');

    const index = insideArchive(paths.rendererIndex);
    expect(index && files.has(index), `${paths.rendererIndex} is not in app.asar`).toBe(true);
    const html = extractFile(archive, index!).toString('utf8');
    const refs = [...html.matchAll(/\b(?:src|href)="\.\/([^"]+)"/g)].map((match) => posix.join(posix.dirname(index!), match[1]!));
    expect(refs.length).toBeGreaterThan(0);
    expect(refs.filter((ref) => !files.has(ref)), 'files index.html loads that are not in app.asar').toEqual([]);
  });

  it('finds the lessons beside the archive, and a prebuilt snapshot that matches every one', () => {
    expect(insideArchive(paths.lessons)).toBeUndefined();
    const folders = readdirSync(paths.lessons, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    expect(folders.length).toBeGreaterThan(0);

    const snapshot = insideArchive(paths.prebuiltLessons);
    expect(snapshot && files.has(snapshot), `${paths.prebuiltLessons} is not in app.asar`).toBe(true);
    const prebuilt = readPrebuilt(join(extractedTree(), snapshot!));
    expect(prebuilt, 'the prebuilt lessons do not parse').toBeDefined();
    // Start-up uses the snapshot only for folders whose files hash as they did at build time.
    const stale = folders.filter((name) => prebuiltResult(prebuilt!, join(paths.lessons, name), 'builtin') === undefined);
    expect(stale, 'shipped lessons the prebuilt snapshot does not match').toEqual([]);
  });
});

describe('the executable', () => {
  // Only a real Electron binary has fuses: a stand-in build (no binary on this machine) must
  // say that is why they were not flipped; a real build must have every one.
  it('has every fuse electron-builder.yml sets flipped, or is the stand-in that has none', async () => {
    if (!record.fusesFlipped) {
      expect(record.electron, 'a real Electron build whose fuses were not flipped').toBe('stand-in');
      return;
    }
    const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as { electronFuses: Record<string, boolean> };
    const wire = await getCurrentFuseWire(executable);
    // @electron/fuses keeps its FuseState enum private: the wire holds ASCII '1' (on) and '0' (off).
    const [ON, OFF] = ['1'.charCodeAt(0), '0'.charCodeAt(0)];
    for (const [key, on] of Object.entries(config.electronFuses)) {
      const option = FuseV1Options[`${key[0]!.toUpperCase()}${key.slice(1)}` as keyof typeof FuseV1Options];
      expect(option, `${key} is not a fuse @electron/fuses knows`).toBeDefined();
      expect(wire[option], key).toBe(on ? ON : OFF);
    }
  });
});
