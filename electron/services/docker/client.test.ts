import { describe, expect, it } from 'vitest';
import { createDocker } from './client';

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
