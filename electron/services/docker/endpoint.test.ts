import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
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
const servers: net.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
  for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true });
});

/** A real socket file at `file`, as a running engine leaves one. */
async function listenAt(file: string): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true });
  const server = net.createServer();
  servers.push(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(file, resolve);
  });
}

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

  it('prefers ~/.docker/run/docker.sock on macOS when it exists', async () => {
    const home = tempHome();
    const root = tempHome();
    expect(resolveDockerEndpoint({}, home, 'darwin', root).options.socketPath).toBe(`${root}/var/run/docker.sock`);
    const userSocket = path.join(home, '.docker', 'run', 'docker.sock');
    await listenAt(userSocket);
    expect(resolveDockerEndpoint({}, home, 'darwin', root).options.socketPath).toBe(userSocket);
    // Linux keeps the system socket.
    await listenAt(`${root}/var/run/docker.sock`);
    expect(resolveDockerEndpoint({}, home, 'linux', root).options.socketPath).toBe(`${root}/var/run/docker.sock`);
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

describe('finding a local engine by its socket', () => {
  const mac = (home: string, root: string): ReturnType<typeof resolveDockerEndpoint> => resolveDockerEndpoint({}, home, 'darwin', root);

  it.each([
    ['Colima', '.colima/default/docker.sock'],
    ['Colima', '.colima/docker.sock'],
    ['OrbStack', '.orbstack/run/docker.sock'],
    ['Rancher Desktop', '.rd/docker.sock'],
  ])('finds %s at ~/%s on macOS', async (engine, relative) => {
    const home = tempHome();
    const root = tempHome();
    const socket = path.join(home, relative);
    await listenAt(socket);
    const r = mac(home, root);
    expect(r.source).toBe('socket');
    expect(r.options.socketPath).toBe(socket);
    expect(r.description).toBe(`unix://${socket}`);
    // What came before it was tried and named; the engine found is last.
    expect(r.tried.at(-1)).toBe(`unix://${socket} (${engine})`);
    expect(r.tried[0]).toBe(`unix://${home}/.docker/run/docker.sock (Docker Desktop)`);
  });

  it('takes the first engine in order when several are there, and skips a plain file', async () => {
    const home = tempHome();
    const root = tempHome();
    // A stale regular file where Docker Desktop's socket would be is not an engine.
    mkdirSync(path.join(home, '.docker', 'run'), { recursive: true });
    writeFileSync(path.join(home, '.docker', 'run', 'docker.sock'), '');
    await listenAt(path.join(home, '.orbstack', 'run', 'docker.sock'));
    await listenAt(path.join(home, '.rd', 'docker.sock'));
    expect(mac(home, root).options.socketPath).toBe(path.join(home, '.orbstack', 'run', 'docker.sock'));
    await listenAt(path.join(home, '.colima', 'default', 'docker.sock'));
    expect(mac(home, root).options.socketPath).toBe(path.join(home, '.colima', 'default', 'docker.sock'));
  });

  it('lists everything it tried when no engine is there, ending with the default', () => {
    const home = tempHome();
    const root = tempHome();
    const r = mac(home, root);
    expect(r.source).toBe('default');
    expect(r.options.socketPath).toBe(`${root}/var/run/docker.sock`);
    expect(r.tried).toEqual([
      `unix://${home}/.docker/run/docker.sock (Docker Desktop)`,
      `unix://${home}/.colima/default/docker.sock (Colima)`,
      `unix://${home}/.colima/docker.sock (Colima)`,
      `unix://${home}/.orbstack/run/docker.sock (OrbStack)`,
      `unix://${home}/.rd/docker.sock (Rancher Desktop)`,
      `unix://${home}/.local/share/containers/podman/machine/podman.sock (Podman)`,
      `unix://${home}/.local/share/containers/podman/machine/qemu/podman.sock (Podman)`,
      `unix://${root}/var/run/docker.sock (system socket)`,
    ]);
  });

  it('a context in config.json wins over a socket that is there', async () => {
    const home = tempHome();
    const root = tempHome();
    await listenAt(path.join(home, '.docker', 'run', 'docker.sock'));
    writeConfig(path.join(home, '.docker'), { currentContext: 'colima' });
    writeContext(path.join(home, '.docker'), 'colima', { Host: `unix://${home}/.colima/default/docker.sock` });
    const r = mac(home, root);
    expect(r.source).toBe('context');
    expect(r.options.socketPath).toBe(`${home}/.colima/default/docker.sock`);
    expect(r.tried).toEqual([`unix://${home}/.colima/default/docker.sock (docker context "colima")`]);
  });

  it('names a context that is gone, then searches the sockets', async () => {
    const home = tempHome();
    const root = tempHome();
    await listenAt(path.join(home, '.orbstack', 'run', 'docker.sock'));
    const r = resolveDockerEndpoint({ DOCKER_CONTEXT: 'orbstack' }, home, 'darwin', root);
    expect(r.source).toBe('socket');
    expect(r.tried[0]).toMatch(/^docker context "orbstack" \(not found in /);
    expect(r.options.socketPath).toBe(path.join(home, '.orbstack', 'run', 'docker.sock'));
  });

  it('on Linux, the system engine wins over user sockets; they are found when it is missing', async () => {
    const home = tempHome();
    const root = tempHome();
    const runtime = path.join(home, 'run-user');
    const env = { XDG_RUNTIME_DIR: runtime };
    await listenAt(path.join(runtime, 'podman', 'podman.sock'));
    const podman = resolveDockerEndpoint(env, home, 'linux', root);
    expect(podman.source).toBe('socket');
    expect(podman.options.socketPath).toBe(path.join(runtime, 'podman', 'podman.sock'));
    expect(podman.tried).toEqual([
      `unix://${root}/var/run/docker.sock (Docker Engine)`,
      `unix://${home}/.docker/desktop/docker.sock (Docker Desktop)`,
      `unix://${runtime}/docker.sock (rootless Docker)`,
      `unix://${runtime}/podman/podman.sock (Podman)`,
    ]);

    await listenAt(path.join(runtime, 'docker.sock'));
    expect(resolveDockerEndpoint(env, home, 'linux', root).options.socketPath).toBe(path.join(runtime, 'docker.sock'));

    await listenAt(path.join(root, 'var', 'run', 'docker.sock'));
    const system = resolveDockerEndpoint(env, home, 'linux', root);
    expect(system.source).toBe('default');
    expect(system.options.socketPath).toBe(path.join(root, 'var', 'run', 'docker.sock'));
    expect(system.tried).toEqual([`unix://${root}/var/run/docker.sock (Docker Engine)`]);
  });

  it('on Windows, uses the engine pipe without looking for sockets', () => {
    const home = tempHome();
    const r = resolveDockerEndpoint({}, home, 'win32', tempHome());
    expect(r.options.socketPath).toBe('//./pipe/docker_engine');
    expect(r.description).toBe('npipe:////./pipe/docker_engine');
    expect(r.tried).toEqual(['npipe:////./pipe/docker_engine (default)']);
  });

  it('DOCKER_HOST is the only thing tried when set', async () => {
    const home = tempHome();
    await listenAt(path.join(home, '.docker', 'run', 'docker.sock'));
    const r = resolveDockerEndpoint({ DOCKER_HOST: 'unix:///tmp/elsewhere.sock' }, home, 'darwin', tempHome());
    expect(r.tried).toEqual(['unix:///tmp/elsewhere.sock (DOCKER_HOST)']);
  });
});
