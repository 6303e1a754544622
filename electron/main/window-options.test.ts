import { describe, expect, it } from 'vitest';
import { isSafeExternalUrl, secureWindowOptions } from './window-options';

describe('window security', () => {
  it('isolates the renderer', () => {
    expect(secureWindowOptions('/p.js').webPreferences).toMatchObject({
      preload: '/p.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
    });
  });

  it.each([
    ['https://docs.docker.com/network/', true],
    ['http://127.0.0.1:8080/', true],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['smb://host/share', false],
    ['not a url', false],
  ])('external url %s → %s', (url, ok) => {
    expect(isSafeExternalUrl(url)).toBe(ok);
  });
});
