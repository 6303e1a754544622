import type Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';
import { choosePlatform, engineArchitecture, normalizeArchitecture, platformTag, splitTag } from './image-platform';

const AMD = `sha256:${'a'.repeat(64)}`;
const ARM = `sha256:${'b'.repeat(64)}`;
const both = { name: 'busybox:latest', platforms: [{ architecture: 'amd64', id: AMD }, { architecture: 'arm64', id: ARM }] };

describe('normalizeArchitecture', () => {
  it.each([
    ['x86_64', 'amd64'],
    ['X86_64', 'amd64'],
    ['amd64', 'amd64'],
    ['aarch64', 'arm64'],
    ['arm64', 'arm64'],
    [' aarch64\n', 'arm64'],
    ['armv7l', 'arm'],
    ['i686', '386'],
    ['s390x', 's390x'],
    ['mips64', 'mips64'],
  ])('spells %j as %j', (raw, arch) => {
    expect(normalizeArchitecture(raw)).toBe(arch);
  });
});

describe('engineArchitecture', () => {
  const engine = (version: object, info: object = {}): Dockerode =>
    ({ version: () => Promise.resolve(version), info: () => Promise.resolve(info) }) as unknown as Dockerode;

  it('takes docker version’s Arch, and docker info’s uname spelling without it', async () => {
    expect(await engineArchitecture(engine({ Arch: 'amd64' }, { Architecture: 'aarch64' }))).toBe('amd64');
    expect(await engineArchitecture(engine({}, { Architecture: 'aarch64' }))).toBe('arm64');
    expect(await engineArchitecture(engine({ Arch: '' }, { Architecture: 'x86_64' }))).toBe('amd64');
  });

  it('says so when the engine names no architecture', async () => {
    await expect(engineArchitecture(engine({}, {}))).rejects.toThrow(/does not say which CPU architecture/);
  });
});

describe('platformTag', () => {
  it('appends the architecture to the tag, a missing tag being latest', () => {
    expect(platformTag('busybox:latest', 'arm64')).toBe('busybox:latest-arm64');
    expect(platformTag('busybox', 'arm64')).toBe('busybox:latest-arm64');
    expect(platformTag('localhost:5000/lab/web:1.2', 'amd64')).toBe('localhost:5000/lab/web:1.2-amd64');
    expect(splitTag('localhost:5000/lab/web')).toEqual({ repo: 'localhost:5000/lab/web', tag: 'latest' });
  });
});

describe('choosePlatform', () => {
  it('picks each image’s id for the engine’s architecture, in any spelling of it', () => {
    expect(choosePlatform([both], 'amd64')).toEqual({ chosen: [{ name: 'busybox:latest', id: AMD }] });
    expect(choosePlatform([both], 'x86_64')).toEqual({ chosen: [{ name: 'busybox:latest', id: AMD }] });
    expect(choosePlatform([both], 'aarch64')).toEqual({ chosen: [{ name: 'busybox:latest', id: ARM }] });
  });

  it('refuses a pack without the engine’s architecture, naming both', () => {
    const armOnly = { name: 'busybox:latest', platforms: [{ architecture: 'arm64', id: ARM }] };
    const result = choosePlatform([armOnly], 'x86_64');
    expect(result).toEqual({
      refused:
        'this pack holds busybox:latest for arm64 only, but this engine runs amd64; nothing was loaded. ' +
        'Export the pack again from an engine that has the image for amd64 (busybox:latest itself, or busybox:latest-amd64 beside it)',
    });
  });

  it('tells 32-bit arm from arm64', () => {
    const arm = { name: 'busybox:latest', platforms: [{ architecture: 'arm', id: ARM }] };
    expect(choosePlatform([arm], 'aarch64')).toMatchObject({ refused: expect.stringMatching(/holds busybox:latest for arm only, but this engine runs arm64/) });
    expect(choosePlatform([arm], 'armv7l')).toEqual({ chosen: [{ name: 'busybox:latest', id: ARM }] });
  });

  it('refuses when one image of several lacks it, naming that image only', () => {
    const httpd = { name: 'httpd:latest', platforms: [{ architecture: 'amd64', id: AMD }] };
    const result = choosePlatform([both, httpd], 'arm64');
    expect('refused' in result && result.refused).toMatch(/^this pack holds httpd:latest for amd64 only, but this engine runs arm64;/);
    expect('refused' in result && result.refused).not.toMatch(/busybox/);
  });
});
