import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findElectronBinary, systemElectronProbe, type ElectronProbe } from './electron-binary';

const PKG = join('/x', 'node_modules', 'electron');

function probe(files: Record<string, string>, env: Record<string, string> = {}): ElectronProbe {
  return { packageDir: PKG, env, readText: (p) => files[p], exists: (p) => p in files };
}

describe('findElectronBinary', () => {
  it('finds the binary path.txt names under dist/', () => {
    const bin = join(PKG, 'dist', 'electron');
    expect(findElectronBinary(probe({ [join(PKG, 'path.txt')]: 'electron\n', [bin]: '' }))).toEqual({ found: true, path: bin });
  });

  it('says so when path.txt is missing (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1)', () => {
    const result = findElectronBinary(probe({}));
    expect(result.found).toBe(false);
    expect(!result.found && result.reason).toMatch(/path\.txt is missing.*ELECTRON_SKIP_BINARY_DOWNLOAD/);
  });

  it('says so when path.txt names a binary that is not on the disk', () => {
    const result = findElectronBinary(probe({ [join(PKG, 'path.txt')]: 'Electron.app/Contents/MacOS/Electron' }));
    expect(result.found).toBe(false);
    expect(!result.found && result.reason).toContain(join(PKG, 'dist', 'Electron.app/Contents/MacOS/Electron'));
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH as index.js does, and checks it too', () => {
    const bin = join('/opt/el', 'electron');
    expect(findElectronBinary(probe({ [bin]: '' }, { ELECTRON_OVERRIDE_DIST_PATH: '/opt/el' }))).toEqual({ found: true, path: bin });
    const missing = findElectronBinary(probe({}, { ELECTRON_OVERRIDE_DIST_PATH: '/opt/none' }));
    expect(!missing.found && missing.reason).toContain('ELECTRON_OVERRIDE_DIST_PATH');
  });

  it('says so when the electron package itself is absent', () => {
    expect(findElectronBinary({ ...probe({}), packageDir: undefined })).toEqual({ found: false, reason: expect.stringContaining('not installed') });
  });

  it('on this machine, agrees with the disk', () => {
    const p = systemElectronProbe();
    const result = findElectronBinary(p);
    expect(p.packageDir).toBeDefined();
    if (result.found) expect(p.exists(result.path)).toBe(true);
    else expect(result.reason).not.toBe('');
  });
});
