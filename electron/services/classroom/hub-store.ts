// The hub's state on disk: the join secret, the TLS identity and the class record, so a hub
// that restarts comes back with the same code and certificate and takes its learners back.
// One JSON file (mode 0600: it holds the private key), written atomically and serially.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../fs/atomic-write';
import { readVersionedJson } from '../fs/versioned-json';
import { ClassRecord } from './class-record';

const HUB_STATE_VERSION = 1;

export const HubState = z.object({
  version: z.literal(HUB_STATE_VERSION),
  secret: z.string(),
  identity: z.object({ certPem: z.string(), keyPem: z.string() }),
  record: ClassRecord,
});
export type HubState = Omit<z.infer<typeof HubState>, 'version'>;

export class HubStore {
  readonly file: string;
  private writing: Promise<void> = Promise.resolve();
  private pending: HubState | (() => HubState) | null = null;

  constructor(private readonly dir: string) {
    this.file = join(dir, 'classroom-hub.json');
  }

  /** The saved class, or null for a new one. A broken file is set aside (never deleted) with a warning. */
  async load(): Promise<{ state: HubState | null; warning?: string }> {
    await mkdir(this.dir, { recursive: true });
    const read = await readVersionedJson(this.file, HubState, HUB_STATE_VERSION);
    if (read.data) {
      const { version: _v, ...state } = read.data;
      return { state };
    }
    if (read.setAsideAs) return { state: null, warning: `The saved class was ${read.why}. It was set aside as ${read.setAsideAs}; a new class (with a new code) was started.` };
    return { state: null };
  }

  /**
   * Saves the latest state. Calls made while a write is running collapse into one more write
   * of the newest state, so a busy room costs at most one write behind the current one. Given a
   * function, the state is built only when its write starts: a room of hundreds sending progress
   * does not copy the whole class per message (bench/scenarios/classroom.ts).
   */
  save(state: HubState | (() => HubState)): Promise<void> {
    const first = this.pending === null;
    this.pending = state;
    if (!first) return this.writing;
    // A failed write must not wedge the queue: the next save tries again.
    this.writing = this.writing.catch(() => undefined).then(async () => {
      const pending = this.pending!;
      this.pending = null;
      const latest = typeof pending === 'function' ? pending() : pending;
      await writeFileAtomic(this.file, JSON.stringify({ version: HUB_STATE_VERSION, ...latest }));
    });
    return this.writing;
  }

  /** Resolves once everything saved so far is on disk. */
  flush(): Promise<void> {
    return this.writing;
  }
}
