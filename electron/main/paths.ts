import { join } from 'node:path';
import { PREBUILT_LESSONS_FILE } from '../services/lessons/prebuilt-lessons';

interface AppPaths {
  preload: string;
  rendererIndex: string;
  lessons: string;
  /** The build's parsed snapshot of the built-in lessons, beside the main script. */
  prebuiltLessons: string;
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
    prebuiltLessons: join(appDir, PREBUILT_LESSONS_FILE),
  };
}
