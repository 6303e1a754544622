import { describe, expect, it } from 'vitest';
import { parseRoute } from './route';

describe('parseRoute', () => {
  it('reads a lesson id from the hash', () => {
    expect(parseRoute('#/lesson/bridge-basics')).toEqual({ name: 'lesson', lessonId: 'bridge-basics' });
  });
  it('reads the settings screen', () => {
    expect(parseRoute('#/settings')).toEqual({ name: 'settings' });
    expect(parseRoute('#/settings/x')).toEqual({ name: 'home' });
  });
  it('reads the classroom screens', () => {
    expect(parseRoute('#/classroom')).toEqual({ name: 'classroom' });
    expect(parseRoute('#/join')).toEqual({ name: 'join' });
    expect(parseRoute('#/classroom/x')).toEqual({ name: 'home' });
  });
  it('falls back to home for anything else', () => {
    expect(parseRoute('')).toEqual({ name: 'home' });
    expect(parseRoute('#/')).toEqual({ name: 'home' });
    expect(parseRoute('#/lesson/')).toEqual({ name: 'home' });
    expect(parseRoute('#/lesson/%E0%A4%A')).toEqual({ name: 'home' });
  });
});
