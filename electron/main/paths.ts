import { join } from 'node:path';

export interface AppPaths {
  preload: string;
  rendererIndex: string;
  lessons: string;
}

/**
 * Where the built pieces live. `appDir` is the folder of the built main
 * script (out/main); packaged, lessons ship as an extra resource beside app.asar.
 */
export function appPaths(appDir: string, packaged: boolean, resourcesPath: string): AppPaths {
  return {
    preload: join(appDir, '../preload/index.js'),
    rendererIndex: join(appDir, '../renderer/index.html'),
    lessons: packaged ? join(resourcesPath, 'lessons') : join(appDir, '../../lessons'),
  };
}
