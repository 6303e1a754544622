import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { installedElectron, makeStandInElectron } from './package-check';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function tempDir(): string {
  dir = mkdtempSync(join(tmpdir(), 'netlab-package-check-'));
  return dir;
}

describe('installedElectron', () => {
  it('finds the binary path.txt names, and nothing when the download was skipped', () => {
    const root = tempDir();
    const pkg = join(root, 'node_modules/electron');
    mkdirSync(join(pkg, 'dist'), { recursive: true });
    const probe = { packageDir: pkg, env: {}, readText: (f: string) => (existsSync(f) ? readFileSync(f, 'utf8') : undefined), exists: existsSync };
    expect(installedElectron(probe)).toBeNull();
    writeFileSync(join(pkg, 'path.txt'), 'electron');
    expect(installedElectron(probe)).toBeNull();
    writeFileSync(join(pkg, 'dist/electron'), '');
    expect(installedElectron(probe)).toBe(join(pkg, 'dist/electron'));
  });
});

describe('makeStandInElectron', () => {
  it('makes the executable, licence and resources folder electron-builder copies', () => {
    const standIn = tempDir();
    makeStandInElectron(standIn, '45.5.0');
    accessSync(join(standIn, 'electron'), constants.X_OK);
    expect(readFileSync(join(standIn, 'electron'), 'utf8')).toMatch(/^#!\/bin\/sh\n[\s\S]*stand-in[\s\S]*exit 1\n$/);
    expect(statSync(join(standIn, 'resources')).isDirectory()).toBe(true);
    expect(readFileSync(join(standIn, 'version'), 'utf8')).toBe('45.5.0\n');
    expect(readFileSync(join(standIn, 'LICENSE'), 'utf8')).toContain('Stand-in');
  });
});
