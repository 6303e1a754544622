// The settings methods' inputs are checked before any handler runs.
import { describe, expect, it } from 'vitest';
import { methods } from './contract';

describe('settings and folder inputs', () => {
  const set = methods['settings.set'].input;
  const add = methods['lessons.addFolder'].input;
  it('accepts absolute paths, endpoints, and null to clear', () => {
    expect(set.safeParse({ dataDir: '/home/me/netlab' }).success).toBe(true);
    expect(set.safeParse({ dataDir: 'C:\\Users\\me\\netlab' }).success).toBe(true);
    expect(set.safeParse({ dockerEndpoint: 'tcp://10.0.0.1:2375', dataDir: null }).success).toBe(true);
    expect(set.safeParse({ dockerEndpoint: 'colima' }).success).toBe(true);
    expect(set.safeParse({ hostShell: '/usr/bin/fish' }).success).toBe(true);
    expect(set.safeParse({ hostShell: 'C:\\Program Files\\PowerShell\\7\\pwsh.exe' }).success).toBe(true);
    expect(set.safeParse({ hostShell: null }).success).toBe(true);
    expect(set.safeParse({ screenReaderMode: true }).success).toBe(true);
    expect(set.safeParse({ screenReaderMode: false }).success).toBe(true);
    expect(add.safeParse({ path: '/srv/course' }).success).toBe(true);
  });
  it('refuses relative paths, NUL characters, spaces in an endpoint and unknown keys', () => {
    expect(set.safeParse({ dataDir: 'relative/dir' }).success).toBe(false);
    expect(set.safeParse({ dataDir: '/a\0b' }).success).toBe(false);
    expect(set.safeParse({ dockerEndpoint: 'tcp://a b' }).success).toBe(false);
    expect(set.safeParse({ dockerEndpoint: '' }).success).toBe(false);
    expect(set.safeParse({ hostShell: 'fish' }).success).toBe(false);
    expect(set.safeParse({ hostShell: '/bin/fish\0' }).success).toBe(false);
    expect(set.safeParse({ theme: 'dark' }).success).toBe(false);
    expect(set.safeParse({ screenReaderMode: 'yes' }).success).toBe(false);
    expect(set.safeParse({ screenReaderMode: null }).success).toBe(false);
    expect(add.safeParse({ path: '../course' }).success).toBe(false);
    expect(methods['progress.export'].input.safeParse({ locale: 'fr' }).success).toBe(false);
  });
});
