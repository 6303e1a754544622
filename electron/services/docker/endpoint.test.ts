import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveDockerEndpoint } from './endpoint';

const homes: string[] = [];
function tempHome(): string {
  const home = mkdtempSync(path.join(os.tmpdir(), 'netlab-endpoint-'));
  homes.push(home);
  return home;
}
afterEach(() => {
  for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true });
});

function writeContext(configDir: string, name: string, endpoint: Record<string, unknown>): string {
  const digest = createHash('sha256').update(name).digest('hex');
  const dir = path.join(configDir, 'contexts', 'meta', digest);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'meta.json'), JSON.stringify({ Name: name, Metadata: {}, Endpoints: { docker: endpoint } }));
  return digest;
}

function writeConfig(configDir: string, config: Record<string, unknown>): void {
  mkdirSync(configDir, { recursive: true });
  writeFileSync(path.join(configDir, 'config.json'), JSON.stringify(config));
}

describe('resolveDockerEndpoint', () => {
  it('uses the platform socket when nothing is configured', () => {
    const home = tempHome();
    const linux = resolveDockerEndpoint({}, home, 'linux');
    expect(linux.source).toBe('default');
    expect(linux.options.socketPath).toBe('/var/run/docker.sock');
    expect(linux.description).toBe('unix:///var/run/docker.sock');

    const win = resolveDockerEndpoint({}, home, 'win32');
    expect(win.options.socketPath).toBe('//./pipe/docker_engine');
    expect(win.description).toBe('npipe:////./pipe/docker_engine');
  });

  it('prefers ~/.docker/run/docker.sock on macOS when it exists', () => {
    const home = tempHome();
    expect(resolveDockerEndpoint({}, home, 'darwin').options.socketPath).toBe('/var/run/docker.sock');
    const userSocket = path.join(home, '.docker', 'run', 'docker.sock');
    mkdirSync(path.dirname(userSocket), { recursive: true });
    writeFileSync(userSocket, '');
    expect(resolveDockerEndpoint({}, home, 'darwin').options.socketPath).toBe(userSocket);
    // Linux keeps the system socket.
    expect(resolveDockerEndpoint({}, home, 'linux').options.socketPath).toBe('/var/run/docker.sock');
  });

  it('reads a unix DOCKER_HOST', () => {
    const r = resolveDockerEndpoint({ DOCKER_HOST: 'unix:///tmp/other.sock' }, tempHome(), 'linux');
    expect(r.source).toBe('DOCKER_HOST');
    expect(r.options.socketPath).toBe('/tmp/other.sock');
    expect(r.options.host).toBeUndefined();
    expect(r.description).toBe('unix:///tmp/other.sock');
  });

  it('reads a plain tcp DOCKER_HOST', () => {
    const r = resolveDockerEndpoint({ DOCKER_HOST: 'tcp://10.0.0.5:2375' }, tempHome(), 'linux');
    expect(r.options).toMatchObject({ host: '10.0.0.5', port: '2375', protocol: 'http' });
    expect(r.description).toBe('tcp://10.0.0.5:2375');
    expect(resolveDockerEndpoint({ DOCKER_HOST: 'somehost:2375' }, tempHome(), 'linux').options.host).toBe('somehost');
  });

  it('loads client certificates for a TLS DOCKER_HOST', () => {
    const home = tempHome();
    const certs = path.join(home, 'certs');
    mkdirSync(certs);
    writeFileSync(path.join(certs, 'ca.pem'), 'CA');
    writeFileSync(path.join(certs, 'cert.pem'), 'CERT');
    writeFileSync(path.join(certs, 'key.pem'), 'KEY');
    const r = resolveDockerEndpoint(
      { DOCKER_HOST: 'tcp://docker.example:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs },
      home,
      'linux',
    );
    expect(r.options.protocol).toBe('https');
    expect(String(r.options.ca)).toBe('CA');
    expect(String(r.options.cert)).toBe('CERT');
    expect(String(r.options.key)).toBe('KEY');
  });

  it('reads an ssh DOCKER_HOST with user and port', () => {
    const r = resolveDockerEndpoint({ DOCKER_HOST: 'ssh://alice@build.example:2222', SSH_AUTH_SOCK: '/tmp/agent' }, tempHome(), 'linux');
    expect(r.options).toMatchObject({ protocol: 'ssh', host: 'build.example', port: '2222', username: 'alice' });
    expect(r.options.sshOptions).toMatchObject({ agent: '/tmp/agent' });
    expect(r.description).toBe('ssh://alice@build.example:2222');
  });

  it('reads an npipe DOCKER_HOST', () => {
    const r = resolveDockerEndpoint({ DOCKER_HOST: 'npipe:////./pipe/dockerDesktopLinuxEngine' }, tempHome(), 'win32');
    expect(r.options.socketPath).toBe('//./pipe/dockerDesktopLinuxEngine');
  });

  it('rejects an unsupported scheme with a clear message', () => {
    expect(() => resolveDockerEndpoint({ DOCKER_HOST: 'fd://' }, tempHome(), 'linux')).toThrow(/unsupported scheme "fd"/);
  });

  it('follows currentContext in config.json', () => {
    const home = tempHome();
    const configDir = path.join(home, '.docker');
    writeConfig(configDir, { currentContext: 'colima' });
    writeContext(configDir, 'colima', { Host: `unix://${home}/.colima/docker.sock`, SkipTLSVerify: false });
    const r = resolveDockerEndpoint({}, home, 'darwin');
    expect(r.source).toBe('context');
    expect(r.options.socketPath).toBe(`${home}/.colima/docker.sock`);
  });

  it('lets DOCKER_CONTEXT override config.json, and DOCKER_HOST override both', () => {
    const home = tempHome();
    const configDir = path.join(home, '.docker');
    writeConfig(configDir, { currentContext: 'colima' });
    writeContext(configDir, 'colima', { Host: 'unix:///colima.sock' });
    writeContext(configDir, 'remote', { Host: 'tcp://remote.example:2376', SkipTLSVerify: true });
    const r = resolveDockerEndpoint({ DOCKER_CONTEXT: 'remote' }, home, 'linux');
    expect(r.source).toBe('context');
    expect(r.options).toMatchObject({ host: 'remote.example', port: '2376', protocol: 'https' });
    expect((r.options as { agent?: { options?: { rejectUnauthorized?: boolean } } }).agent?.options?.rejectUnauthorized).toBe(false);

    const env = resolveDockerEndpoint({ DOCKER_CONTEXT: 'remote', DOCKER_HOST: 'unix:///env.sock' }, home, 'linux');
    expect(env.source).toBe('DOCKER_HOST');
    expect(env.options.socketPath).toBe('/env.sock');
  });

  it('honours DOCKER_CONFIG for where config and contexts live', () => {
    const home = tempHome();
    const configDir = path.join(home, 'elsewhere');
    writeConfig(configDir, { currentContext: 'rootless' });
    writeContext(configDir, 'rootless', { Host: 'unix:///run/user/1000/docker.sock' });
    const r = resolveDockerEndpoint({ DOCKER_CONFIG: configDir }, home, 'linux');
    expect(r.options.socketPath).toBe('/run/user/1000/docker.sock');
  });

  it('uses the platform default for the "default" context and for broken config', () => {
    const home = tempHome();
    const configDir = path.join(home, '.docker');
    writeConfig(configDir, { currentContext: 'default' });
    expect(resolveDockerEndpoint({}, home, 'linux').source).toBe('default');

    writeFileSync(path.join(configDir, 'config.json'), '{ not json');
    expect(resolveDockerEndpoint({}, home, 'linux').options.socketPath).toBe('/var/run/docker.sock');

    // A context named in config.json but missing on disk falls back too.
    writeConfig(configDir, { currentContext: 'gone' });
    expect(resolveDockerEndpoint({}, home, 'linux').source).toBe('default');
  });
});
