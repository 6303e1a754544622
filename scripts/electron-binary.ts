// Where the Electron binary is, found the way node_modules/electron/index.js
// finds it, but without its side effect: `require('electron')` starts a
// download when the binary is missing, which fails on a machine installed with
// ELECTRON_SKIP_BINARY_DOWNLOAD=1 (or offline). `npm run test:desktop` and the
// Electron e2e target ask here first and stop with one line when it is absent.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export type ElectronBinary = { found: true; path: string } | { found: false; reason: string };

/** What the lookup reads: the electron package's folder, the environment and the disk. */
export interface ElectronProbe {
  packageDir: string | undefined;
  env: Record<string, string | undefined>;
  readText(path: string): string | undefined;
  exists(path: string): boolean;
}

export function findElectronBinary(probe: ElectronProbe): ElectronBinary {
  if (!probe.packageDir) return { found: false, reason: 'the electron package is not installed (npm install)' };
  const pathFile = join(probe.packageDir, 'path.txt');
  const relative = probe.readText(pathFile)?.trim();
  const override = probe.env.ELECTRON_OVERRIDE_DIST_PATH;
  // As index.js: an override folder wins, and names the binary 'electron' when path.txt is absent.
  if (override) {
    const path = join(override, relative || 'electron');
    return probe.exists(path) ? { found: true, path } : { found: false, reason: `ELECTRON_OVERRIDE_DIST_PATH names ${path}, which does not exist` };
  }
  if (!relative) {
    return {
      found: false,
      reason: `${pathFile} is missing: electron was installed without its binary (ELECTRON_SKIP_BINARY_DOWNLOAD=1?); reinstall it without that variable`,
    };
  }
  const path = join(probe.packageDir, 'dist', relative);
  return probe.exists(path)
    ? { found: true, path }
    : { found: false, reason: `${path} does not exist: electron was installed without its binary (ELECTRON_SKIP_BINARY_DOWNLOAD=1?); reinstall it without that variable` };
}

/** The probe of this machine: the electron package as Node resolves it from here. */
export function systemElectronProbe(): ElectronProbe {
  let packageDir: string | undefined;
  try {
    // package.json, not the package's main: that is index.js, which downloads.
    packageDir = dirname(require.resolve('electron/package.json'));
  } catch {
    packageDir = undefined;
  }
  return {
    packageDir,
    env: process.env,
    readText: (path) => {
      try {
        return readFileSync(path, 'utf8');
      } catch {
        return undefined;
      }
    },
    exists: existsSync,
  };
}
