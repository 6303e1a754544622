// The contract's settings, progress-export and instructor-folder methods, on
// top of the settings store. services.ts wires them in beside the others.
import { access, constants, mkdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Handlers } from '../../api/contract';
import { LabError } from '../../api/errors';
import type { AppSettings, LessonProblem } from '../../api/types';
import { loadLessons, type LoadedLesson } from '../lessons/loader';
import { buildProgressExport } from '../progress/progress-report';
import type { ProgressStore } from '../progress/progress-store';
import type { LessonConsents } from './lesson-consent';
import type { SettingsStore } from './settings-store';
import { describeEndpoint } from './startup';

type SettingsMethods =
  | 'settings.get'
  | 'settings.set'
  | 'progress.reset'
  | 'progress.export'
  | 'lessons.addFolder'
  | 'lessons.removeFolder'
  | 'lessons.consent'
  | 'lessons.allow';

export interface SettingsDeps {
  store: SettingsStore;
  progress: ProgressStore;
  appVersion: string;
  /** The data directory this run uses. */
  dataDir: string;
  /** The Docker endpoint this run uses, as a URL. */
  endpoint: string;
  /** The environment the app started with (for resolving a new endpoint choice). */
  env: NodeJS.ProcessEnv;
  /** Every loaded lesson, after a reload. */
  lessons(): LoadedLesson[];
  /** The folder an extra lesson came from; undefined for the built-in course. */
  folderOf(lessonId: string): string | undefined;
  /** Folders given at start (built-in course, --lessons): not removable from the UI. */
  fixedFolders: string[];
  reload(): Promise<void>;
  /** Consent to instructors' lessons, per lesson fingerprint. */
  consents: LessonConsents;
}

export function createSettingsHandlers(deps: SettingsDeps): Pick<Handlers, SettingsMethods> {
  const { store } = deps;
  /** A data directory or endpoint was chosen during this run (applies at the next start). */
  let changedThisRun = false;

  function snapshot(): AppSettings {
    const s = store.get();
    const warning = store.loadWarning();
    return {
      settingsFile: store.file,
      dataDir: { current: deps.dataDir, ...(s.dataDir ? { chosen: s.dataDir } : {}) },
      dockerEndpoint: { current: deps.endpoint, ...(s.dockerEndpoint ? { chosen: s.dockerEndpoint } : {}) },
      lessonFolders: s.lessonFolders,
      restartNeeded: changedThisRun,
      ...(warning ? { warning } : {}),
    };
  }

  function loaded(lessonId: string): LoadedLesson {
    const found = deps.lessons().find((l) => l.lesson.id === lessonId);
    if (!found) throw new LabError(`There is no lesson "${lessonId}".`, 'not-found');
    return found;
  }

  async function checkWritableDir(dir: string): Promise<void> {
    try {
      await mkdir(dir, { recursive: true });
      await access(dir, constants.W_OK);
    } catch (err) {
      throw new LabError(`Cannot use ${dir} as the data directory: ${(err as Error).message}`, 'invalid');
    }
  }

  return {
    'settings.get': async () => snapshot(),
    'settings.set': async ({ dataDir, dockerEndpoint }) => {
      let nextDir: string | null | undefined = dataDir;
      if (typeof dataDir === 'string') {
        nextDir = resolve(dataDir);
        await checkWritableDir(nextDir);
      }
      if (typeof dockerEndpoint === 'string') {
        try {
          describeEndpoint(dockerEndpoint, deps.env);
        } catch (err) {
          throw new LabError((err as Error).message, 'invalid');
        }
      }
      await store.update((s) => {
        if (nextDir === null) delete s.dataDir;
        else if (nextDir !== undefined) s.dataDir = nextDir;
        if (dockerEndpoint === null) delete s.dockerEndpoint;
        else if (dockerEndpoint !== undefined) s.dockerEndpoint = dockerEndpoint.trim();
      });
      if (dataDir !== undefined || dockerEndpoint !== undefined) changedThisRun = true;
      return snapshot();
    },
    'progress.reset': async () => deps.progress.reset(),
    'progress.export': async ({ locale }) => {
      await deps.reload();
      return buildProgressExport({
        locale,
        exportedAt: new Date().toISOString(),
        appVersion: deps.appVersion,
        lessons: deps
          .lessons()
          .map(({ lesson: l }) => ({ id: l.id, order: l.order, title: l.title, source: l.source, steps: l.steps, checkpoints: l.checkpoints }))
          .sort((a, b) => a.order - b.order || a.id.localeCompare(b.id)),
        progress: deps.progress.snapshot().lessons,
      });
    },
    'lessons.addFolder': async ({ path }) => {
      const folder = resolve(path);
      const isDir = await stat(folder).then(
        (s) => s.isDirectory(),
        () => false,
      );
      if (!isDir) {
        return { folder, added: false, lessons: [], problems: [{ file: folder, line: 1, message: `not a folder: ${folder}` }] };
      }
      const loaded = await loadLessons(folder, 'extra');
      // Paths relative to the folder, as lessons:lint prints them.
      const problems: LessonProblem[] = [...loaded.problems];
      const taken = new Map(deps.lessons().filter((l) => deps.folderOf(l.lesson.id) !== folder).map((l) => [l.lesson.id, l.dir]));
      for (const l of loaded.lessons) {
        const other = taken.get(l.lesson.id);
        if (other) problems.push({ file: `${basename(l.dir)}/lesson.yaml`, line: 1, message: `lesson id "${l.lesson.id}" is already used by ${other}` });
      }
      if (loaded.lessons.length === 0 && problems.length === 0) {
        const hint = (await stat(join(folder, 'lesson.yaml')).then(() => true, () => false))
          ? `this is one lesson's folder; open the folder that holds it (${dirname(folder)})`
          : 'a course folder holds one sub-folder per lesson, each with lesson.yaml, en.md and zh-CN.md';
        problems.push({ file: folder, line: 1, message: `no lessons found: ${hint}` });
      }
      const ids = loaded.lessons.map((l) => l.lesson.id);
      if (problems.length > 0) return { folder, added: false, lessons: ids, problems };
      if (!store.get().lessonFolders.includes(folder) && !deps.fixedFolders.includes(folder)) {
        await store.update((s) => {
          s.lessonFolders.push(folder);
        });
      }
      await deps.reload();
      return { folder, added: true, lessons: ids, problems: [] };
    },
    'lessons.removeFolder': async ({ path }) => {
      const folder = resolve(path);
      if (!store.get().lessonFolders.includes(folder)) throw new LabError(`${folder} is not an opened lesson folder.`, 'not-found');
      await store.update((s) => {
        s.lessonFolders = s.lessonFolders.filter((f) => f !== folder);
        delete s.consents[folder];
      });
      await deps.reload();
      return snapshot();
    },
    'lessons.consent': async ({ lessonId }) => deps.consents.state(loaded(lessonId)),
    'lessons.allow': async ({ lessonId, fingerprint }) => deps.consents.allow(loaded(lessonId), fingerprint),
  };
}
