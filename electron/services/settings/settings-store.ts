// The app's own settings: a data directory and Docker endpoint chosen in the
// Settings screen (both applied at the next start), the host shell (applied
// to the host terminals opened after the choice), the instructor lesson
// folders opened from the UI, and the folders whose commands the learner
// agreed to run. One small JSON file in the default data directory, written
// atomically; a corrupt or newer-format file is set aside, never fatal.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../fs/atomic-write';
import { parseVersioned, readVersionedJson } from '../fs/versioned-json';

const SETTINGS_VERSION = 1;
const SETTINGS_FILE = 'settings.json';

const fileSchema = z.object({
  version: z.literal(SETTINGS_VERSION),
  /** Where progress and the lab ledger live from the next start on. */
  dataDir: z.string().min(1).optional(),
  /** Overrides DOCKER_HOST / the docker context from the next start on. */
  dockerEndpoint: z.string().min(1).optional(),
  /** The host shell's program (host-shell.ts); none: the learner's login shell. */
  hostShell: z.string().min(1).optional(),
  /** The terminals keep an accessibility tree of their text for screen readers (xterm's screenReaderMode). */
  screenReaderMode: z.boolean().optional(),
  /** Extra lesson folders, listed beside the built-in course. */
  lessonFolders: z.array(z.string().min(1)).default([]),
  /**
   * Folder -> lesson id -> the fingerprint of the lesson the learner agreed to let run.
   * Older files kept one fingerprint per folder (a string), over less of the lesson:
   * read as no consent, so the learner is asked again.
   */
  consents: z.record(z.string(), z.record(z.string(), z.string()).catch({})).default({}),
});

type StoredSettings = z.infer<typeof fileSchema>;

function emptySettings(): StoredSettings {
  return { version: SETTINGS_VERSION, lessonFolders: [], consents: {} };
}

function parse(text: string): StoredSettings | undefined {
  return parseVersioned(fileSchema, text);
}

/**
 * What the Electron main process and `npm run serve` read before anything
 * starts: synchronous and forgiving (a broken file means defaults; the store
 * sets it aside when the services load it).
 */
export function readSettingsSync(file: string): StoredSettings {
  try {
    return parse(readFileSync(file, 'utf8')) ?? emptySettings();
  } catch {
    return emptySettings();
  }
}

export function settingsFileIn(dir: string): string {
  return join(dir, SETTINGS_FILE);
}

export class SettingsStore {
  private data: StoredSettings = emptySettings();
  private warning: string | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(readonly file: string) {}

  async load(): Promise<void> {
    const read = await readVersionedJson(this.file, fileSchema, SETTINGS_VERSION);
    if (read.data) this.data = read.data;
    else if (read.setAsideAs) this.warning = `Your settings file was ${read.why}. It was set aside as ${read.setAsideAs} and the defaults apply.`;
  }

  get(): StoredSettings {
    return structuredClone(this.data);
  }

  /** Set when a broken settings file was set aside at load. */
  loadWarning(): string | undefined {
    return this.warning;
  }

  /** Applies a change and writes the file; writes are serialised so the newest always lands last. */
  update(change: (draft: StoredSettings) => void): Promise<void> {
    const draft = structuredClone(this.data);
    change(draft);
    this.data = fileSchema.parse(draft);
    const text = JSON.stringify(this.data, null, 2);
    this.writing = this.writing.catch(() => undefined).then(() => writeFileAtomic(this.file, text));
    return this.writing;
  }

  flushed(): Promise<void> {
    return this.writing;
  }
}
