import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { authorizeUpgrade, checkSite, newSecret, offeredProtocols, requestPathname, secretMatches } from './auth';
import { LaunchCodes } from './launch-codes';
import { credentialProtocols, launchProtocols } from '../api/ws-protocol';

const HOSTS = new Set(['127.0.0.1:5183', 'localhost:5183']);
const ORIGIN = 'http://127.0.0.1:5183';

function request(headers: Record<string, string>, url = '/api'): IncomingMessage {
  return { url, headers: { host: '127.0.0.1:5183', ...headers } } as unknown as IncomingMessage;
}

describe('secrets', () => {
  it('are random and compared whole', () => {
    const secret = newSecret();
    expect(secret).not.toBe(newSecret());
    expect(secretMatches(secret, secret)).toBe(true);
    expect(secretMatches(secret, secret.slice(1))).toBe(false);
    expect(secretMatches(secret, undefined)).toBe(false);
    expect(secretMatches(secret, '')).toBe(false);
  });
});

describe('requestPathname', () => {
  it('reads an origin-form target', () => {
    expect(requestPathname('/assets/a.js?v=1')).toBe('/assets/a.js');
    expect(requestPathname('/%zz')).toBe('/%zz');
  });

  it('refuses what is not one, without throwing', () => {
    for (const target of [undefined, '', 'http://[', 'http://x/', '*', '//evil/x', 'api']) expect(requestPathname(target), String(target)).toBeUndefined();
  });
});

describe('checkSite', () => {
  it('refuses a Host that is not ours and a foreign or broken Origin', () => {
    expect(checkSite(request({}), HOSTS, false)).toBeUndefined();
    expect(checkSite(request({ host: 'evil.example:5183' }), HOSTS, false)?.status).toBe(403);
    expect(checkSite(request({ origin: 'http://evil.example' }), HOSTS, false)?.status).toBe(403);
    expect(checkSite(request({ origin: 'http://[' }), HOSTS, false)?.status).toBe(403);
    expect(checkSite(request({}), HOSTS, true)?.status).toBe(403);
    expect(checkSite(request({ origin: ORIGIN }), HOSTS, true)).toBeUndefined();
  });
});

describe('offeredProtocols', () => {
  it('splits the header, whatever its spacing', () => {
    expect(offeredProtocols('netlab.v1, netlab.auth.x ,y')).toEqual(['netlab.v1', 'netlab.auth.x', 'y']);
    expect(offeredProtocols(undefined)).toEqual([]);
  });
});

describe('authorizeUpgrade', () => {
  const credential = newSecret();
  const upgrade = (protocols: string[], headers: Record<string, string> = {}, url = '/api', codes = new LaunchCodes()) =>
    authorizeUpgrade(request({ origin: ORIGIN, 'sec-websocket-protocol': protocols.join(', '), ...headers }, url), { allowedHosts: HOSTS, credential, launchCodes: codes });

  it('accepts the session credential', () => {
    expect(upgrade(credentialProtocols(credential))).toEqual({ ok: true, launched: false });
  });

  it('refuses no credential or a wrong one with 401', () => {
    expect(upgrade([])).toMatchObject({ ok: false, status: 401 });
    expect(upgrade(['netlab.v1'])).toMatchObject({ ok: false, status: 401 });
    expect(upgrade(credentialProtocols(credential.slice(0, -1)))).toMatchObject({ ok: false, status: 401 });
  });

  it('accepts a launch code once', () => {
    const codes = new LaunchCodes();
    const code = codes.mint();
    expect(upgrade(launchProtocols(code), {}, '/api', codes)).toEqual({ ok: true, launched: true });
    expect(upgrade(launchProtocols(code), {}, '/api', codes)).toMatchObject({ ok: false, status: 401 });
  });

  it('spends no code on an upgrade refused for another reason', () => {
    const codes = new LaunchCodes();
    const code = codes.mint();
    expect(upgrade(launchProtocols(code), { origin: 'http://evil.example' }, '/api', codes)).toMatchObject({ status: 403 });
    expect(upgrade(launchProtocols(code), {}, '/elsewhere', codes)).toMatchObject({ status: 404 });
    expect(upgrade([`netlab.launch.${code}`], {}, '/api', codes)).toMatchObject({ status: 400 });
    expect(upgrade(launchProtocols(code), {}, '/api', codes)).toEqual({ ok: true, launched: true });
  });

  it('refuses a foreign Origin or Host with 403 before looking at credentials, and a broken target with 400', () => {
    expect(upgrade(credentialProtocols(credential), { origin: 'http://evil.example' })).toMatchObject({ status: 403 });
    expect(upgrade(credentialProtocols(credential), { host: 'evil.example' })).toMatchObject({ status: 403 });
    expect(upgrade(credentialProtocols(credential), {}, 'http://[')).toMatchObject({ status: 400 });
  });

  it('takes no credential from the query', () => {
    expect(upgrade([], {}, `/api?token=${credential}`)).toMatchObject({ ok: false, status: 401 });
  });
});
