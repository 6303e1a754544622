import { describe, expect, it } from 'vitest';
import { defaultDataDir } from './data-dir';

describe('defaultDataDir', () => {
  it("joins Windows paths with backslashes, in user folders with spaces and non-ASCII names", () => {
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\张三\\AppData\\Roaming' }, 'win32', 'C:\\Users\\张三')).toBe('C:\\Users\\张三\\AppData\\Roaming\\NetLab');
    expect(defaultDataDir({}, 'win32', 'C:\\Users\\Zhang San')).toBe('C:\\Users\\Zhang San\\AppData\\Roaming\\NetLab');
  });

  it('uses the macOS and XDG places elsewhere, ignoring an empty XDG_CONFIG_HOME', () => {
    expect(defaultDataDir({}, 'darwin', '/Users/张三')).toBe('/Users/张三/Library/Application Support/NetLab');
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/home/z/cfg' }, 'linux', '/home/z')).toBe('/home/z/cfg/NetLab');
    expect(defaultDataDir({ XDG_CONFIG_HOME: '' }, 'linux', '/home/z')).toBe('/home/z/.config/NetLab');
  });
});
