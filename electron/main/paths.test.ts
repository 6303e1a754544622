import { describe, expect, it } from 'vitest';
import { appPaths } from './paths';

describe('appPaths', () => {
  it('finds lessons in the repo when running from out/main', () => {
    expect(appPaths('/repo/out/main', false, '/ignored')).toEqual({
      preload: '/repo/out/preload/index.js',
      rendererIndex: '/repo/out/renderer/index.html',
      lessons: '/repo/lessons',
      prebuiltLessons: '/repo/out/main/builtin-lessons.json',
    });
  });

  it('finds lessons among the resources when packaged', () => {
    const p = appPaths('/opt/NetLab/resources/app.asar/out/main', true, '/opt/NetLab/resources');
    expect(p.lessons).toBe('/opt/NetLab/resources/lessons');
    expect(p.preload).toBe('/opt/NetLab/resources/app.asar/out/preload/index.js');
    expect(p.prebuiltLessons).toBe('/opt/NetLab/resources/app.asar/out/main/builtin-lessons.json');
  });
});
