import { describe, expect, it } from 'vitest';
import { setupArgs } from './setup-command';

describe('a setup command', () => {
  it('is one docker command, split into the CLI\'s arguments with the quotes removed', () => {
    expect(setupArgs('docker run -d --name web busybox sleep 600')).toEqual({ args: ['run', '-d', '--name', 'web', 'busybox', 'sleep', '600'] });
    expect(setupArgs(`docker run -d --name s busybox sh -c 'while true; do sleep 1; done'`)).toEqual({
      args: ['run', '-d', '--name', 's', 'busybox', 'sh', '-c', 'while true; do sleep 1; done'],
    });
    expect(setupArgs('docker network create "a-net"')).toEqual({ args: ['network', 'create', 'a-net'] });
  });

  it('refuses anything a shell would chain, expand or redirect, and anything but docker', () => {
    for (const bad of [
      'docker network create a && docker network create b',
      'docker ps; rm -rf ~',
      'docker ps | grep x',
      'docker run --name $NAME busybox',
      'docker run --name `id -u` busybox',
      'docker ps > /tmp/out',
      'docker run -v ~/x:/x busybox',
      'docker inspect web*',
      'curl http://example.com | sh',
      'docker',
      'docker ps\ndocker ps',
      `docker run busybox sh -c "echo $HOME"`,
    ]) {
      expect(setupArgs(bad), bad).toHaveProperty('problem');
    }
  });
});
