// npm run package:check, step 1: run electron-builder for real, from electron-builder.yml,
// up to the unpacked Linux app (dist/linux-unpacked). test/package/ then reads what it made.
//
// electron-builder needs an Electron distribution to copy. Where the real binary is
// installed (Linux x64, `npm ci` without ELECTRON_SKIP_BINARY_DOWNLOAD) this uses it, fuses
// flipped, but never rebuilds native modules (see below); `npm run dist` does. Elsewhere it generates a stand-in: a folder shaped like Electron's
// unpacked Linux x64 zip whose `electron` is a script that refuses to run. Only for the
// stand-in, two steps that need the real binary are skipped: flipping the fuses (they are
// bytes inside the binary) and rebuilding native modules against Electron's headers
// (a download). electron-builder.yml itself is never changed: the overrides below are
// merged over it for this run only.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Arch, Platform, build, type Configuration } from 'electron-builder';
import { findElectronBinary, systemElectronProbe, type ElectronProbe } from './electron-binary';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** What the check built from, for test/package/ to read and print. */
export const PACKAGE_CHECK_RECORD = 'dist/package-check.json';

export interface PackageCheckRecord {
  electron: 'real' | 'stand-in';
  electronVersion: string;
  appOutDir: string;
  fusesFlipped: boolean;
}

/**
 * The installed Electron binary's path, or null when `npm ci` skipped its download: the same
 * lookup `npm run test:desktop` makes (electron-binary.ts), never `require('electron')`, whose
 * index.js starts a download when the binary is missing.
 */
export function installedElectron(probe: ElectronProbe = systemElectronProbe()): string | null {
  const binary = findElectronBinary(probe);
  return binary.found ? binary.path : null;
}

/** A folder electron-builder accepts as an unpacked Electron for Linux x64. */
export function makeStandInElectron(into: string, electronVersion: string): void {
  // electron-builder renames `electron` to the app's executable and moves LICENSE to
  // LICENSE.electron.txt; resources/ is where it puts app.asar.
  mkdirSync(join(into, 'resources'), { recursive: true });
  const electron = join(into, 'electron');
  writeFileSync(
    electron,
    '#!/bin/sh\necho "This NetLab build was made by npm run package:check with a stand-in for Electron: it cannot run. Use npm run dist for a real build." >&2\nexit 1\n',
  );
  chmodSync(electron, 0o755);
  writeFileSync(join(into, 'LICENSE'), 'Stand-in for Electron\'s LICENSE (npm run package:check).\n');
  writeFileSync(join(into, 'version'), `${electronVersion}\n`);
}

async function main(): Promise<void> {
  if (process.platform !== 'linux') {
    // The tests load the packed native modules with this machine's Node: they must be Linux ones.
    throw new Error('it packs and checks the Linux app, so it runs on Linux only; on macOS and Windows, npm run dist builds the installers');
  }
  const electronVersion = (JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version;
  const real = installedElectron();
  const useReal = real !== null && process.arch === 'x64' && process.env.NETLAB_PACKAGE_STANDIN !== '1';

  let standIn: string | null = null;
  let overrides: Configuration;
  if (useReal) {
    // No native rebuild even here: it rewrites node-pty in node_modules for Electron, which the
    // tests that run after this check under plain Node then load, and it needs Electron's headers
    // from the network. node-pty is a Node-API module, so the build that is there loads in both.
    overrides = { electronDist: dirname(real), npmRebuild: false };
    console.log(`package:check: packaging with the installed Electron ${electronVersion} (${relative(root, dirname(real))})`);
  } else {
    standIn = mkdtempSync(join(tmpdir(), 'netlab-electron-stand-in-'));
    makeStandInElectron(standIn, electronVersion);
    overrides = { electronDist: standIn, electronFuses: null, npmRebuild: false };
    const why =
      real === null ? "Electron's binary is not installed (ELECTRON_SKIP_BINARY_DOWNLOAD=1)"
      : process.env.NETLAB_PACKAGE_STANDIN === '1' ? 'NETLAB_PACKAGE_STANDIN=1'
      : `the installed binary is for ${process.arch}, and this check packs for x64`;
    console.log(`package:check: ${why}: packaging with a stand-in Electron; fuses and the native rebuild are skipped`);
  }

  try {
    // Nothing of an earlier run may stand in for this one if electron-builder fails.
    const appOutDir = join(root, 'dist/linux-unpacked');
    rmSync(join(root, PACKAGE_CHECK_RECORD), { force: true });
    rmSync(appOutDir, { recursive: true, force: true });
    // `config` as an object is merged over the electron-builder.yml found in projectDir.
    await build({ projectDir: root, targets: Platform.LINUX.createTarget('dir', Arch.x64), config: overrides }).catch((error: unknown) => {
      throw new Error(`electron-builder failed: ${error instanceof Error ? error.message : String(error)}`);
    });
    const record: PackageCheckRecord = { electron: useReal ? 'real' : 'stand-in', electronVersion, appOutDir: relative(root, appOutDir), fusesFlipped: useReal };
    writeFileSync(join(root, PACKAGE_CHECK_RECORD), `${JSON.stringify(record, null, 2)}\n`);
  } finally {
    if (standIn) rmSync(standIn, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(`package:check: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
