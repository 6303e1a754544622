import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDocker, NO_BUILDKIT_SESSIONS } from './client';

describe('createDocker', () => {
  it('points Dockerode at the resolved endpoint and describes it', () => {
    const { docker, endpoint } = createDocker({ DOCKER_HOST: 'unix:///tmp/netlab-test.sock' });
    expect(endpoint).toBe('unix:///tmp/netlab-test.sock');
    const modem = docker.modem as unknown as { socketPath?: string; host?: string };
    expect(modem.socketPath).toBe('/tmp/netlab-test.sock');
    expect(modem.host).toBeUndefined();
  });

  it('uses tcp settings from DOCKER_HOST', () => {
    const { docker, endpoint } = createDocker({ DOCKER_HOST: 'tcp://127.0.0.1:2375' });
    expect(endpoint).toBe('tcp://127.0.0.1:2375');
    const modem = docker.modem as unknown as { host?: string; port?: string; protocol?: string };
    expect(modem).toMatchObject({ host: '127.0.0.1', port: '2375', protocol: 'http' });
  });
});

describe('dockerode as the app loads it', () => {
  it('does not load gRPC, and a BuildKit build fails with a clear message', () => {
    // A fresh process: other test files in this worker may have loaded dockerode whole.
    const code = `
      const { createRequire } = require('node:module');
      const { createDocker } = require('./electron/services/docker/client.ts');
      createDocker({ DOCKER_HOST: 'unix:///tmp/netlab-test.sock' });
      const req = createRequire(process.cwd() + '/package.json');
      const session = req.cache[req.resolve('dockerode/lib/session.js')].exports;
      session(null, null, (err) => console.log(JSON.stringify({
        message: err.message,
        grpc: Object.keys(req.cache).some((k) => k.includes('@grpc')),
        dockerode: Object.keys(req.cache).some((k) => k.endsWith('dockerode/lib/docker.js')),
      })));`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', code], { cwd: resolve(__dirname, '../../..'), encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ message: NO_BUILDKIT_SESSIONS, grpc: false, dockerode: true });
  });

  it('loads ssh2 only when an ssh:// connection is made, and then the real transport', () => {
    const code = `
      const { createRequire } = require('node:module');
      const { createDocker } = require('./electron/services/docker/client.ts');
      createDocker({ DOCKER_HOST: 'unix:///tmp/netlab-test.sock' });
      const req = createRequire(process.cwd() + '/package.json');
      const ssh2 = () => Object.keys(req.cache).some((k) => k.includes('/node_modules/ssh2/'));
      const before = ssh2();
      // docker-modem's ssh transport, as its modem calls it for an ssh:// request.
      const path = createRequire(req.resolve('dockerode')).resolve('docker-modem/lib/ssh.js');
      const agent = req.cache[path].exports({ host: '127.0.0.1', port: 1, username: 'nobody' });
      console.log(JSON.stringify({
        before,
        after: ssh2(),
        agent: typeof agent.createConnection,
      }));`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', code], { cwd: resolve(__dirname, '../../..'), encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ before: false, after: true, agent: 'function' });
  });
});
