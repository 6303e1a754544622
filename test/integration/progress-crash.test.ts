// A crash in the middle of writing progress loses at most the last change:
// kill a process that writes progress in a tight loop, many times, and the
// file is always whole and readable.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProgressStore } from '../../electron/services/progress/progress-store';

const WRITER = resolve(__dirname, '../support/progress-writer.ts');

async function killMidWrite(file: string, afterMs: number): Promise<void> {
  // The writer runs in this very process (tsx as a loader, not a wrapper that
  // would spawn it as a child): SIGKILL must hit the process doing the writes.
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, file], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((ok) => child.stdout.once('data', () => ok()));
  await new Promise((r) => setTimeout(r, afterMs));
  const exited = new Promise((ok) => child.once('exit', ok));
  child.kill('SIGKILL');
  await exited;
  // Nothing may survive the kill and go on writing.
  expect(() => process.kill(child.pid!, 0)).toThrow();
}

describe('progress under a crash', () => {
  it('is always whole after the writer is killed mid-stream', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'netlab-crash-'));
    const file = join(dir, 'progress.json');
    let last = 0;
    for (let round = 0; round < 6; round++) {
      await killMidWrite(file, 40 + round * 37);
      const data = JSON.parse(await readFile(file, 'utf8')) as { version: number; lessons: { dns: { passed: Record<string, string> } } };
      expect(data.version).toBe(1);
      const count = Object.keys(data.lessons.dns.passed).length;
      // Each round resumes from what the previous one saved: nothing is lost.
      expect(count).toBeGreaterThanOrEqual(last);
      last = count;
      const store = new ProgressStore(file);
      await store.load();
      expect(store.snapshot().warning).toBeUndefined();
    }
    expect(last).toBeGreaterThan(0);
    const names = await readdir(dir);
    expect(names.filter((n) => n.includes('broken'))).toEqual([]);
    // Loading swept away the temp files the killed writers left.
    expect(names.filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});
