import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProgressStore } from './progress-store';

async function tempFile(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'netlab-progress-')), 'progress.json');
}

describe('ProgressStore', () => {
  it('starts empty when there is no file', async () => {
    const store = new ProgressStore(await tempFile());
    await store.load();
    expect(store.snapshot()).toEqual({ lessons: {} });
  });

  it('persists steps and passes across instances, keeping the first pass time', async () => {
    const file = await tempFile();
    const a = new ProgressStore(file);
    await a.load();
    await a.setStep('dns', 'create-network');
    await a.markPassed('dns', { 'network-created': '2026-01-01T00:00:00.000Z' });
    await a.markPassed('dns', { 'network-created': '2026-02-02T00:00:00.000Z' });
    const b = new ProgressStore(file);
    await b.load();
    expect(b.lesson('dns')).toMatchObject({ stepId: 'create-network', passed: { 'network-created': '2026-01-01T00:00:00.000Z' } });
  });

  it('reset forgets every lesson, on disk too', async () => {
    const file = await tempFile();
    const a = new ProgressStore(file);
    await a.load();
    await a.markPassed('dns', { 'network-created': '2026-01-01T00:00:00.000Z' });
    await a.reset();
    expect(a.snapshot()).toEqual({ lessons: {} });
    const b = new ProgressStore(file);
    await b.load();
    expect(b.snapshot()).toEqual({ lessons: {} });
  });

  it.each([
    ['truncated', '{"version":1,"lessons":{"dns":{"pass', /not valid JSON/],
    ['wrong shape', '{"version":1,"lessons":[]}', /not in the expected format/],
    ['newer version', '{"version":7,"lessons":{}}', /newer version/],
  ])('sets a %s file aside with a warning', async (_label, content, why) => {
    const file = await tempFile();
    await writeFile(file, content);
    const store = new ProgressStore(file);
    await store.load();
    const snap = store.snapshot();
    expect(snap.lessons).toEqual({});
    expect(snap.warning).toMatch(why);
    const names = await readdir(join(file, '..'));
    const aside = names.find((n) => n.startsWith('progress.json.broken-'));
    expect(aside).toBeDefined();
    expect(await readFile(join(file, '..', aside!), 'utf8')).toBe(content);
  });

  it('keeps the last of many concurrent writes', async () => {
    const file = await tempFile();
    const store = new ProgressStore(file);
    await store.load();
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.setStep('dns', `s${i}`)));
    await store.flushed();
    expect(JSON.parse(await readFile(file, 'utf8')).lessons.dns.stepId).toBe('s19');
  });
});
