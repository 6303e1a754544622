import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSettingsSync, SettingsStore } from './settings-store';

async function tempFile(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'netlab-settings-')), 'settings.json');
}

describe('SettingsStore', () => {
  it('starts with defaults when there is no file', async () => {
    const store = new SettingsStore(await tempFile());
    await store.load();
    expect(store.get()).toEqual({ version: 1, lessonFolders: [], consents: {} });
    expect(store.loadWarning()).toBeUndefined();
  });

  it('persists changes across instances and leaves no temp file behind', async () => {
    const file = await tempFile();
    const a = new SettingsStore(file);
    await a.load();
    await a.update((s) => {
      s.dataDir = '/srv/netlab';
      s.lessonFolders.push('/courses/one');
    });
    await a.update((s) => {
      s.dockerEndpoint = 'tcp://10.0.0.2:2375';
      s.consents['/courses/one'] = { 'lesson-a': 'abc' };
    });
    const b = new SettingsStore(file);
    await b.load();
    expect(b.get()).toEqual({
      version: 1,
      dataDir: '/srv/netlab',
      dockerEndpoint: 'tcp://10.0.0.2:2375',
      lessonFolders: ['/courses/one'],
      consents: { '/courses/one': { 'lesson-a': 'abc' } },
    });
    expect(readSettingsSync(file).dockerEndpoint).toBe('tcp://10.0.0.2:2375');
    expect((await readdir(join(file, '..'))).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('reads an older folder-wide consent as none, keeping the rest of the file', async () => {
    const file = await tempFile();
    await writeFile(file, JSON.stringify({ version: 1, lessonFolders: ['/courses/one'], consents: { '/courses/one': 'abc' } }));
    const store = new SettingsStore(file);
    await store.load();
    expect(store.get()).toEqual({ version: 1, lessonFolders: ['/courses/one'], consents: { '/courses/one': {} } });
    expect(store.loadWarning()).toBeUndefined();
  });

  it('rejects a change that breaks the format, keeping the old settings', async () => {
    const store = new SettingsStore(await tempFile());
    await store.load();
    expect(() =>
      store.update((s) => {
        s.dataDir = '';
      }),
    ).toThrow();
    expect(store.get().dataDir).toBeUndefined();
  });

  it.each([
    ['truncated JSON', '{"version": 1, "lessonFol', /not valid JSON/],
    ['a wrong shape', '{"version": 1, "lessonFolders": "nope"}', /not in the expected format/],
    ['a newer format', '{"version": 7}', /newer version of the app \(format 7\)/],
  ])('sets aside %s and starts from the defaults', async (_what, content, why) => {
    const file = await tempFile();
    await writeFile(file, content);
    expect(readSettingsSync(file)).toEqual({ version: 1, lessonFolders: [], consents: {} });
    const store = new SettingsStore(file);
    await store.load();
    expect(store.get().lessonFolders).toEqual([]);
    expect(store.loadWarning()).toMatch(why);
    const names = await readdir(join(file, '..'));
    const aside = names.find((n) => n.startsWith('settings.json.broken-'));
    expect(aside).toBeDefined();
    expect(await readFile(join(file, '..', aside as string), 'utf8')).toBe(content);
  });
});
