import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeEndpoint, endpointEnv, readStartup } from './startup';

describe('endpointEnv', () => {
  const base = { DOCKER_HOST: 'tcp://old:2375', DOCKER_CONTEXT: 'old', PATH: '/bin' };
  it('leaves the environment alone without an override', () => {
    expect(endpointEnv(base, undefined)).toBe(base);
    expect(endpointEnv(base, '  ')).toBe(base);
  });
  it('turns a socket path into a unix DOCKER_HOST', () => {
    expect(endpointEnv(base, '/run/user/1000/docker.sock')).toEqual({ DOCKER_HOST: 'unix:///run/user/1000/docker.sock', PATH: '/bin' });
  });
  it('passes URLs and host:port through as DOCKER_HOST', () => {
    expect(endpointEnv(base, 'tcp://10.1.2.3:2376').DOCKER_HOST).toBe('tcp://10.1.2.3:2376');
    expect(endpointEnv(base, '10.1.2.3:2375').DOCKER_HOST).toBe('10.1.2.3:2375');
  });
  it('turns a bare name into DOCKER_CONTEXT and drops DOCKER_HOST, which would win', () => {
    expect(endpointEnv(base, 'colima')).toEqual({ DOCKER_CONTEXT: 'colima', PATH: '/bin' });
  });
  it('never changes the environment it was given', () => {
    endpointEnv(base, 'colima');
    expect(base.DOCKER_HOST).toBe('tcp://old:2375');
  });
});

describe('describeEndpoint', () => {
  const env = { HOME: '/nonexistent', DOCKER_CONFIG: '/nonexistent/.docker' };
  it('names the endpoint the app will use', () => {
    expect(describeEndpoint('/tmp/d.sock', env)).toBe('unix:///tmp/d.sock');
    expect(describeEndpoint('tcp://192.168.1.5:2375', env)).toBe('tcp://192.168.1.5:2375');
    expect(describeEndpoint('default', env)).toMatch(/^unix:\/\//);
  });
  it('refuses an unknown scheme and a context that does not exist', () => {
    expect(() => describeEndpoint('ftp://x', env)).toThrow(/unsupported scheme "ftp"/);
    expect(() => describeEndpoint('no-such-context', env)).toThrow(/no docker context named "no-such-context"/);
  });
});

describe('readStartup', () => {
  it('uses the base directory and the environment as they are without a settings file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'netlab-startup-'));
    const env = { PATH: '/bin' };
    expect(readStartup(dir, env)).toEqual({ settingsFile: join(dir, 'settings.json'), dataDir: dir, env, warnings: [] });
  });
  it('applies the chosen data directory and endpoint', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'netlab-startup-'));
    await writeFile(join(dir, 'settings.json'), JSON.stringify({ version: 1, dataDir: '/srv/lab', dockerEndpoint: 'tcp://10.0.0.9:2375' }));
    const s = readStartup(dir, { PATH: '/bin' });
    expect(s.dataDir).toBe('/srv/lab');
    expect(s.env.DOCKER_HOST).toBe('tcp://10.0.0.9:2375');
    expect(s.warnings).toEqual([]);
  });
  it('ignores settings that cannot work, with a warning', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'netlab-startup-'));
    await writeFile(join(dir, 'settings.json'), JSON.stringify({ version: 1, dataDir: 'relative/dir', dockerEndpoint: 'ftp://x' }));
    const s = readStartup(dir, { PATH: '/bin' });
    expect(s.dataDir).toBe(dir);
    expect(s.env.DOCKER_HOST).toBeUndefined();
    expect(s.warnings).toHaveLength(2);
    expect(s.warnings.join('\n')).toMatch(/not an absolute path[\s\S]*unsupported scheme/);
  });
});
