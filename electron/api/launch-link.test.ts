import { describe, expect, it } from 'vitest';
import { formatLaunchUrl, parseLaunchFragment } from './launch-link';

const CODE = 'AbC-def_0123456789xyzXYZ';

describe('parseLaunchFragment', () => {
  it('takes the code from a bare fragment, leaving no route', () => {
    expect(parseLaunchFragment(`#launch=${CODE}`)).toEqual({ code: CODE, hash: '' });
  });

  it('takes the code from after a route, keeping the route', () => {
    expect(parseLaunchFragment(`#/settings?launch=${CODE}`)).toEqual({ code: CODE, hash: '#/settings' });
    expect(parseLaunchFragment(`#/lesson/dns?launch=${CODE}`)).toEqual({ code: CODE, hash: '#/lesson/dns' });
    expect(parseLaunchFragment(`#/?launch=${CODE}`)).toEqual({ code: CODE, hash: '#/' });
    expect(parseLaunchFragment(`#/?x=1&launch=${CODE}&y=2`)).toEqual({ code: CODE, hash: '#/?x=1&y=2' });
  });

  it('passes other fragments through untouched', () => {
    for (const hash of ['', '#', '#/', '#/settings', '#/lesson/a%20b', '#/?x=1', '#launcher', '#/?launched=1']) {
      expect(parseLaunchFragment(hash)).toEqual({ hash });
    }
  });

  it('drops a malformed code from the address without using it', () => {
    expect(parseLaunchFragment('#launch=')).toEqual({ hash: '' });
    expect(parseLaunchFragment('#/settings?launch=short')).toEqual({ hash: '#/settings' });
    expect(parseLaunchFragment(`#launch=${CODE}%00`)).toEqual({ hash: '' });
    expect(parseLaunchFragment(`#launch=${'a'.repeat(129)}`)).toEqual({ hash: '' });
  });

  it('reads back what formatLaunchUrl writes', () => {
    for (const route of [undefined, '#/', '#/settings', '#/lesson/dns']) {
      const url = new URL(formatLaunchUrl('http://127.0.0.1:5183', CODE, { query: 'renderer=dom', route }));
      expect(url.search).toBe('?renderer=dom');
      expect(url.pathname).toBe('/');
      expect(parseLaunchFragment(url.hash)).toEqual({ code: CODE, hash: route ?? '' });
    }
    expect(formatLaunchUrl('http://127.0.0.1:5183', CODE)).toBe(`http://127.0.0.1:5183/#launch=${CODE}`);
  });
});
