import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HubStore, type HubState } from './hub-store';
import { LearnerClassStore } from './learner-store';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'e19classroom-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const state = (className: string): HubState => ({
  secret: 'K7QFM2XD9A',
  identity: { certPem: 'CERT', keyPem: 'KEY' },
  record: { className, createdAt: 1, currentLesson: null, learners: [] },
});

describe('HubStore', () => {
  it('saves atomically with owner-only permissions and loads back', async () => {
    const store = new HubStore(join(dir, 'hub'));
    expect((await store.load()).state).toBeNull();
    await store.save(state('A'));
    expect((await new HubStore(join(dir, 'hub')).load()).state).toEqual(state('A'));
    if (process.platform !== 'win32') expect((await stat(store.file)).mode & 0o777).toBe(0o600);
  });

  it('collapses saves made during a write into one write of the newest state', async () => {
    const store = new HubStore(join(dir, 'hub'));
    await store.load();
    const writes = ['A', 'B', 'C', 'D'].map((n) => store.save(state(n)));
    await Promise.all(writes);
    expect(JSON.parse(await readFile(store.file, 'utf8')).record.className).toBe('D');
    expect((await readdir(join(dir, 'hub'))).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('builds a state given as a function only when its write starts, once for all the saves it replaced', async () => {
    const store = new HubStore(join(dir, 'hub'));
    await store.load();
    let built = 0;
    let name = 'A';
    const lazy = (): HubState => {
      built++;
      return state(name);
    };
    const first = store.save(lazy);
    for (const n of ['B', 'C', 'D']) {
      name = n;
      void store.save(lazy);
    }
    await first;
    await store.flush();
    expect(built).toBeLessThanOrEqual(2);
    expect(JSON.parse(await readFile(store.file, 'utf8')).record.className).toBe('D');
  });

  it('sets a broken file aside, never deleting it, and says so', async () => {
    const store = new HubStore(join(dir, 'hub'));
    await store.load();
    await writeFile(store.file, '{"version":1,"secret":');
    const loaded = await store.load();
    expect(loaded.state).toBeNull();
    expect(loaded.warning).toMatch(/set aside as .*broken-/);
    const names = await readdir(join(dir, 'hub'));
    expect(names.some((n) => n.startsWith('classroom-hub.json.broken-'))).toBe(true);
  });
});

describe('LearnerClassStore', () => {
  it('keeps the class to rejoin and forgets it after leaving', async () => {
    const file = join(dir, 'learner', 'classroom.json');
    const store = new LearnerClassStore(file);
    expect((await store.load()).joined).toBeNull();
    const joined = { host: '192.168.1.10', port: 7443, fingerprint: randomBytes(32), name: 'Ada', learnerId: 'l-1', token: 'tok' };
    await store.save(joined);
    expect((await new LearnerClassStore(file).load()).joined).toEqual(joined);
    await store.save(null);
    expect((await store.load()).joined).toBeNull();
    expect(await readFile(file, 'utf8')).not.toContain('tok');
  });

  it('refuses to save a malformed pin', async () => {
    const store = new LearnerClassStore(join(dir, 'c.json'));
    await expect(store.save({ host: 'h', port: 1, fingerprint: Buffer.alloc(4), name: 'A', learnerId: 'l', token: 't' })).rejects.toThrow();
  });
});
