import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { logged } from './logged';
import { closeAppLog, flushAppLog, logDir, openAppLog, readLastLines } from './logger';

afterEach(async () => {
  await closeAppLog();
});

async function lines(dataDir: string): Promise<{ msg: string; lessonId?: string; err?: { message: string } }[]> {
  await flushAppLog();
  return (await readLastLines(logDir(dataDir), 10)).map((l) => JSON.parse(l) as { msg: string });
}

describe('logged', () => {
  it('logs "<method> done" with the fields it picks, or "<method> failed" with the error, and passes both on', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'netlab-logged-'));
    await openAppLog(dataDir);
    const open = logged('lab.open', async ({ lessonId }) => ({ lessonId }) as never, ({ lessonId }) => ({ lessonId }));
    await open({ lessonId: 'dns' });
    const reset = logged('lab.reset', async () => {
      throw new Error('engine gone');
    });
    await expect(reset({})).rejects.toThrow('engine gone');
    expect((await lines(dataDir)).map((l) => [l.msg, l.lessonId ?? l.err?.message])).toEqual([
      ['lab.open done', 'dns'],
      ['lab.reset failed', 'engine gone'],
    ]);
  });
});
