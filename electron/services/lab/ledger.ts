// What the lab created, by id, kept in a JSON file so an app restart still
// knows what reset() may remove. Writes are atomic (temp file + rename) and
// serialised, so a crash leaves either the old or the new ledger, never half.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { log } from '../log/logger';

interface LedgerFileContent {
  version: 1;
  containers: string[];
  networks: string[];
}

export class Ledger {
  readonly containers = new Set<string>();
  readonly networks = new Set<string>();
  private writing: Promise<void> = Promise.resolve();
  private dirty = false;
  private tempCounter = 0;

  constructor(private readonly file: string) {}

  /** Reads the file; a missing or corrupt file is an empty ledger. */
  async load(): Promise<void> {
    this.containers.clear();
    this.networks.clear();
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch {
      return;
    }
    try {
      const data = JSON.parse(text) as Partial<LedgerFileContent>;
      for (const id of stringArray(data.containers)) this.containers.add(id);
      for (const id of stringArray(data.networks)) this.networks.add(id);
    } catch {
      // Keep the unreadable file for inspection; the next save starts afresh.
      await rename(this.file, `${this.file}.corrupt`).catch(() => undefined);
    }
  }

  /** Schedules a write of the current state; bursts collapse into few writes. */
  save(): void {
    if (this.dirty) return;
    this.dirty = true;
    this.writing = this.writing
      .then(() => this.write())
      .catch((err: unknown) => {
        // Losing one write is not fatal: the next change writes the whole ledger again.
        log.warn('could not write the lab ledger', { file: this.file, err });
      });
  }

  /** Resolves when everything saved so far is on disk. */
  async flush(): Promise<void> {
    await this.writing;
  }

  snapshot(): { containers: string[]; networks: string[] } {
    return { containers: [...this.containers], networks: [...this.networks] };
  }

  private async write(): Promise<void> {
    this.dirty = false;
    const content: LedgerFileContent = { version: 1, ...this.snapshot() };
    const temp = `${this.file}.${process.pid}.${++this.tempCounter}.tmp`;
    await mkdir(path.dirname(this.file), { recursive: true });
    try {
      await writeFile(temp, JSON.stringify(content, null, 2) + '\n', 'utf8');
      await rename(temp, this.file);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
  }
}

function stringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.length > 0) : [];
}
