import { describe, expect, it } from 'vitest';
import { allowedOrigins, devServerOrigin, isAppSender, originOf, type SenderFacts } from './ipc-sender';

const DEV = 'http://localhost:5173/';

/** The app's page in a packaged run: the one sender that qualifies. */
const page: SenderFacts = {
  frameUrl: 'app://netlab/index.html',
  frameOrigin: 'app://netlab',
  isMainFrame: true,
  inAppWindow: true,
  packaged: true,
  devServerUrl: undefined,
};
/** The app's page on the dev server, unpackaged. */
const devPage: SenderFacts = {
  frameUrl: 'http://localhost:5173/',
  frameOrigin: 'http://localhost:5173',
  isMainFrame: true,
  inAppWindow: true,
  packaged: false,
  devServerUrl: DEV,
};

describe('originOf', () => {
  it('serializes the app scheme as Chromium does, and web origins as URL does', () => {
    expect(originOf('app://netlab/index.html')).toBe('app://netlab');
    expect(originOf('app://netlab')).toBe('app://netlab');
    expect(originOf('http://localhost:5173/x?y#z')).toBe('http://localhost:5173');
    expect(originOf('https://example.org')).toBe('https://example.org');
  });

  it('gives no origin to other app hosts, credentials, or schemes without one', () => {
    for (const url of ['app://other/index.html', 'app://netlab.evil/', 'app://netlab:1/', 'app://u@netlab/', 'file:///index.html', 'data:text/html,x', 'about:blank', 'blob:app://netlab/1', 'javascript:1', '', 'not a url', 'http://u:p@localhost:5173/']) {
      expect(originOf(url), url).toBeUndefined();
    }
  });
});

describe('allowedOrigins', () => {
  it('adds the dev server only when unpackaged, and only an http(s) one', () => {
    expect(allowedOrigins(true, undefined)).toEqual(['app://netlab']);
    expect(allowedOrigins(true, DEV)).toEqual(['app://netlab']);
    expect(allowedOrigins(false, undefined)).toEqual(['app://netlab']);
    expect(allowedOrigins(false, DEV)).toEqual(['app://netlab', 'http://localhost:5173']);
    expect(allowedOrigins(false, 'file:///tmp/')).toEqual(['app://netlab']);
    expect(allowedOrigins(false, 'garbage')).toEqual(['app://netlab']);
    expect(allowedOrigins(false, 'app://netlab/')).toEqual(['app://netlab']);
    expect(devServerOrigin(false, DEV)).toBe('http://localhost:5173');
    expect(devServerOrigin(true, DEV)).toBeUndefined();
    expect(devServerOrigin(false, 'data:text/html,x')).toBeUndefined();
  });
});

describe('isAppSender', () => {
  it("accepts the main frame of the app's window at the app's origin, packaged or not", () => {
    expect(isAppSender(page)).toBe(true);
    expect(isAppSender({ ...page, frameUrl: 'app://netlab/index.html#/settings' })).toBe(true);
    expect(isAppSender({ ...page, packaged: false, devServerUrl: DEV })).toBe(true);
  });

  it('accepts the dev server page at its exact origin when unpackaged', () => {
    expect(isAppSender(devPage)).toBe(true);
    expect(isAppSender({ ...devPage, frameUrl: 'http://localhost:5173/index.html#/lesson/dns' })).toBe(true);
  });

  const nearMisses: [string, SenderFacts][] = [
    ['a subframe of the right origin', { ...page, isMainFrame: false }],
    ['a subframe on the dev server', { ...devPage, isMainFrame: false }],
    ['a page that is not one of our windows', { ...page, inAppWindow: false }],
    ['a frame that is gone', { ...page, frameUrl: undefined, frameOrigin: undefined }],
    ['another origin', { ...page, frameUrl: 'https://example.org/', frameOrigin: 'https://example.org' }],
    ['another app host', { ...page, frameUrl: 'app://other/index.html', frameOrigin: 'app://other' }],
    ['an app host that extends ours', { ...page, frameUrl: 'app://netlab.evil/index.html', frameOrigin: 'app://netlab.evil' }],
    ['the app scheme with a port', { ...page, frameUrl: 'app://netlab:1/index.html', frameOrigin: 'app://netlab:1' }],
    ['a file:// document', { ...page, frameUrl: 'file:///opt/NetLab/resources/app.asar/out/renderer/index.html', frameOrigin: 'null' }],
    ['any other file:// document', { ...page, frameUrl: 'file:///home/me/Downloads/evil.html', frameOrigin: 'file://' }],
    ['a data: document', { ...page, frameUrl: 'data:text/html,<script>1</script>', frameOrigin: 'null' }],
    ['about:blank, even with our origin inherited', { ...page, frameUrl: 'about:blank', frameOrigin: 'app://netlab' }],
    ['a URL and an origin that disagree', { ...page, frameOrigin: 'null' }],
    ['a port that extends the dev port (:51730)', { ...devPage, frameUrl: 'http://localhost:51730/', frameOrigin: 'http://localhost:51730' }],
    ['another dev port (:5174)', { ...devPage, frameUrl: 'http://localhost:5174/', frameOrigin: 'http://localhost:5174' }],
    ['the dev host under another name', { ...devPage, frameUrl: 'http://127.0.0.1:5173/', frameOrigin: 'http://127.0.0.1:5173' }],
    ['the dev host as a prefix of another host', { ...devPage, frameUrl: 'http://localhost:5173.evil.example/', frameOrigin: 'http://localhost:5173.evil.example' }],
    ['https instead of the dev server’s http', { ...devPage, frameUrl: 'https://localhost:5173/', frameOrigin: 'https://localhost:5173' }],
    ['the dev server when packaged, even with its URL set', { ...devPage, packaged: true }],
    ['the dev server when no dev URL is set', { ...devPage, devServerUrl: undefined }],
  ];
  for (const [what, facts] of nearMisses) {
    it(`refuses ${what}`, () => {
      expect(isAppSender(facts)).toBe(false);
    });
  }
});
