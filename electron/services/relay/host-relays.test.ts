// Where a host shell's relay listens, on each platform: a named pipe on
// Windows (nothing of the user's folder in its name), a private socket
// elsewhere, also under folders with spaces and non-ASCII names.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveDockerEndpoint } from '../docker/endpoint';
import { relayAddress } from './host-relays';
import { LabRelay } from './lab-relay';

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('relayAddress on Windows', () => {
  const dataDir = 'C:\\Users\\张三 Li\\AppData\\Roaming\\NetLab\\lab';

  it('is a named pipe whose DOCKER_HOST the endpoint parser reads back to the same pipe', () => {
    const address = relayAddress('win32', dataDir, 'host-1', { unique: '4242-host-1-0a1b2c' });
    expect(address).toEqual({ socketPath: '\\\\.\\pipe\\netlab-4242-host-1-0a1b2c', url: 'npipe:////./pipe/netlab-4242-host-1-0a1b2c' });
    const back = resolveDockerEndpoint({ DOCKER_HOST: address.url }, 'C:\\Users\\张三 Li', 'win32');
    expect(back.options.socketPath).toBe('//./pipe/netlab-4242-host-1-0a1b2c');
    expect(back.description).toBe(address.url);
  });

  it('has a fresh random part each time and nothing of the user folder', () => {
    const a = relayAddress('win32', dataDir, 'host-1');
    const b = relayAddress('win32', dataDir, 'host-1');
    expect(a.socketPath).toMatch(new RegExp(`^\\\\\\\\\\.\\\\pipe\\\\netlab-${process.pid}-host-1-[0-9a-f]{12}$`));
    expect(a.socketPath).not.toBe(b.socketPath);
    expect(a.socketPath).not.toMatch(/张三|Users|\s/);
  });
});

describe('relayAddress on Linux and macOS', () => {
  it('is a socket in the data dir, with spaces and non-ASCII letters kept as they are', () => {
    const address = relayAddress('darwin', '/Users/张三 Li/Library/Application Support/NetLab', 'host-1');
    expect(address.socketPath).toBe('/Users/张三 Li/Library/Application Support/NetLab/relay/host-1.sock');
    expect(address.url).toBe(`unix://${address.socketPath}`);
  });

  it('moves to a temp folder when the path is too long in bytes, not in characters', () => {
    const tempFolder = (): string => '/tmp/netlab-relay-x';
    // 30 CJK letters are 90 bytes: past the socket limit with fewer than 60 characters.
    const wide = relayAddress('linux', `/home/${'张'.repeat(30)}`, 'host-1', { tempFolder });
    expect(wide.socketPath).toBe('/tmp/netlab-relay-x/host-1.sock');
    // The near miss: as many ASCII letters fit.
    const narrow = relayAddress('linux', `/home/${'z'.repeat(30)}`, 'host-1', { tempFolder });
    expect(narrow.socketPath).toBe(`/home/${'z'.repeat(30)}/relay/host-1.sock`);
  });

  it('listens on a socket only its user may use, in a folder only its user may enter', async () => {
    const dataDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'netlab-relay-')), '张三 的 data');
    temps.push(path.dirname(dataDir));
    const { socketPath } = relayAddress('linux', dataDir, 'host-1');
    const relay = await LabRelay.listen({
      socketPath,
      connect: () => {
        throw new Error('no engine in this test');
      },
      label: () => undefined,
      execResult: () => Promise.resolve({}),
      onRecord: () => undefined,
      endpoint: 'unix:///nowhere.sock',
    });
    try {
      expect(statSync(socketPath).isSocket()).toBe(true);
      expect(statSync(socketPath).mode & 0o777).toBe(0o600);
      expect(statSync(path.dirname(socketPath)).mode & 0o777).toBe(0o700);
    } finally {
      await relay.close();
    }
  });
});
