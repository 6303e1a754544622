// electron-builder.yml is only exercised when installers are built, which needs
// Electron's binary; check it against electron-builder's own schema here.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = resolve(__dirname, '../..');
const config = parse(readFileSync(resolve(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;

describe('electron-builder.yml', () => {
  it('validates against electron-builder\'s schema', () => {
    const require = createRequire(resolve(root, 'package.json'));
    const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
    const ajv = new Ajv({ allErrors: true, strict: false });
    const valid = ajv.validate(schema, config);
    expect(ajv.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('ships lessons as resources, unpacks node-pty, and sets the fuses', () => {
    expect(config.extraResources).toEqual([{ from: 'lessons', to: 'lessons', filter: ['**/*'] }]);
    expect(config.asarUnpack).toContain('**/node_modules/node-pty/**');
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
    expect(Object.keys(config)).toEqual(expect.arrayContaining(['linux', 'mac', 'win']));
  });
});

/** Width and height from a PNG's IHDR chunk, after checking the signature. */
function pngSize(file: string): { width: number; height: number } {
  const head = readFileSync(file).subarray(0, 24);
  expect(head.subarray(0, 8).toString('hex'), `${file} is not a PNG`).toBe('89504e470d0a1a0a');
  expect(head.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: head.readUInt32BE(16), height: head.readUInt32BE(20) };
}

describe('app icons', () => {
  it('points every platform at icons that exist', () => {
    const icon = (platform: string): unknown => (config[platform] as Record<string, unknown>).icon;
    expect(icon('mac')).toBe('build/icon.png');
    expect(icon('win')).toBe('build/icon.png');
    expect(icon('linux')).toBe('build/icons');
    expect(existsSync(resolve(root, 'build/icon.svg'))).toBe(true);
  });

  it('are PNGs of the sizes electron-builder and the app expect', () => {
    // 1024 is what electron-builder needs to derive a macOS .icns and a Windows .ico.
    expect(pngSize(resolve(root, 'build/icon.png'))).toEqual({ width: 1024, height: 1024 });
    expect(pngSize(resolve(root, 'build/icons/512x512.png'))).toEqual({ width: 512, height: 512 });
    // Favicon in browser mode and window icon on Linux, shipped with the renderer.
    expect(pngSize(resolve(root, 'renderer/public/icon.png'))).toEqual({ width: 256, height: 256 });
  });
});
