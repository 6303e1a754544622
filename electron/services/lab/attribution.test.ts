import { describe, expect, it } from 'vitest';
import { isLabsDoing } from './attribution';

const lesson = { containers: ['custom_bbox02'], networks: ['custom_network'] };

describe('isLabsDoing', () => {
  it('claims the lesson\'s own names whatever runs', () => {
    expect(isLabsDoing('container', 'custom_bbox02', lesson, [])).toBe(true);
    expect(isLabsDoing('network', 'custom_network', lesson, [])).toBe(true);
  });

  it('claims what the running host command names', () => {
    expect(isLabsDoing('container', 'web9', undefined, ['docker run -d --name web9 httpd'])).toBe(true);
    expect(isLabsDoing('container', 'web9', undefined, ['docker run -d --name=web9 httpd'])).toBe(true);
    expect(isLabsDoing('network', 'my.net', undefined, ['docker network create my.net && echo ok'])).toBe(true);
  });

  it('claims an unnamed docker run, whose name Docker picks', () => {
    expect(isLabsDoing('container', 'eager_turing', undefined, ['docker run -d busybox'])).toBe(true);
    expect(isLabsDoing('container', 'eager_turing', undefined, ['docker container create busybox'])).toBe(true);
  });

  it('leaves alone what another program creates meanwhile', () => {
    expect(isLabsDoing('container', 'other', lesson, [])).toBe(false);
    expect(isLabsDoing('container', 'web', undefined, ['docker run -d --name web9 httpd'])).toBe(false);
    expect(isLabsDoing('container', 'eager_turing', undefined, ['docker run -d --name web9 httpd'])).toBe(false);
    expect(isLabsDoing('network', 'eager_turing', undefined, ['docker run -d busybox'])).toBe(false);
    expect(isLabsDoing('network', 'net', undefined, ['ping -c1 example'])).toBe(false);
  });
});
