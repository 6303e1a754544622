// What a learner's app keeps about the class it joined, so that after a restart it rejoins by
// itself: the hub's address and certificate pin, and the learner's own token. Written atomically
// (mode 0600: the token is a credential); leaving the class deletes the token from the file.
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../fs/atomic-write';
import { readVersionedJson } from '../fs/versioned-json';

const LEARNER_CLASS_VERSION = 1;

const fileSchema = z.object({
  version: z.literal(LEARNER_CLASS_VERSION),
  joined: z
    .object({
      host: z.string().min(1),
      port: z.int().min(1).max(65535),
      fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
      name: z.string().min(1),
      learnerId: z.string().min(1),
      token: z.string().min(1),
    })
    .nullable(),
});

export interface JoinedClass {
  host: string;
  port: number;
  fingerprint: Buffer;
  name: string;
  learnerId: string;
  token: string;
}

export class LearnerClassStore {
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly file: string) {}

  /** The class to rejoin, or null. A broken file is set aside (never deleted) and returned as a warning. */
  async load(): Promise<{ joined: JoinedClass | null; warning?: string }> {
    const read = await readVersionedJson(this.file, fileSchema, LEARNER_CLASS_VERSION);
    if (read.data) {
      const j = read.data.joined;
      return { joined: j ? { ...j, fingerprint: Buffer.from(j.fingerprint, 'hex') } : null };
    }
    if (read.setAsideAs) return { joined: null, warning: `The saved class was ${read.why}; it was set aside as ${read.setAsideAs}. Join again with the code.` };
    return { joined: null };
  }

  /** Saves (or with null, forgets) the class; calls are written in order. */
  save(joined: JoinedClass | null): Promise<void> {
    const data = { version: LEARNER_CLASS_VERSION, joined: joined ? { ...joined, fingerprint: joined.fingerprint.toString('hex') } : null };
    const parsed = fileSchema.safeParse(data);
    if (!parsed.success) return Promise.reject(new Error(`Not saving the class to rejoin: ${parsed.error.message}`));
    const text = JSON.stringify(parsed.data);
    this.writing = this.writing.catch(() => undefined).then(async () => {
      await mkdir(dirname(this.file), { recursive: true });
      await writeFileAtomic(this.file, text);
    });
    return this.writing;
  }
}
