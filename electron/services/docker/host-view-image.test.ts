import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LabError } from '../../api/errors';
import { log } from '../log/logger';
import { PIN_FILE, pinnedHostViewImage } from './host-view-image';

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;

/** An engine holding images by tag and by id; `tags` can be moved between calls. */
function engine(tags: Record<string, string>, ids: Set<string>): Dockerode {
  return {
    getImage: (ref: string) => ({
      inspect: async () => {
        const id = ref.startsWith('sha256:') ? (ids.has(ref) ? ref : undefined) : tags[ref];
        if (id === undefined) throw Object.assign(new Error('no such image'), { statusCode: 404 });
        return { Id: id };
      },
    }),
  } as unknown as Dockerode;
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'netlab-pin-'));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

const recorded = async (): Promise<{ image: string; id: string }> => JSON.parse(await readFile(join(dir, PIN_FILE), 'utf8')) as { image: string; id: string };

describe('pinnedHostViewImage', () => {
  it('resolves the tag on first use and records its id', async () => {
    expect(await pinnedHostViewImage(engine({ 'busybox:latest': A }, new Set([A])), dir)).toBe(A);
    expect(await recorded()).toMatchObject({ version: 1, image: 'busybox:latest', id: A });
    // Written atomically: no temp file is left beside it.
    expect(await readdir(dir)).toEqual([PIN_FILE]);
  });

  it('keeps the recorded id after the tag moved, with a warning', async () => {
    const warn = vi.spyOn(log, 'warn').mockImplementation(() => undefined);
    const tags = { 'busybox:latest': A };
    const docker = engine(tags, new Set([A, B]));
    await pinnedHostViewImage(docker, dir);
    tags['busybox:latest'] = B;
    expect(await pinnedHostViewImage(docker, dir)).toBe(A);
    expect(await recorded()).toMatchObject({ id: A });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('tag moved'), expect.objectContaining({ pinned: A, tagNow: B }));
  });

  it('keeps the recorded id, silently, when the tag is gone', async () => {
    const warn = vi.spyOn(log, 'warn').mockImplementation(() => undefined);
    const tags: Record<string, string> = { 'busybox:latest': A };
    const docker = engine(tags, new Set([A]));
    await pinnedHostViewImage(docker, dir);
    delete tags['busybox:latest'];
    expect(await pinnedHostViewImage(docker, dir)).toBe(A);
    expect(warn).not.toHaveBeenCalled();
  });

  it('pins again when the recorded image is gone', async () => {
    vi.spyOn(log, 'warn').mockImplementation(() => undefined);
    const ids = new Set([A]);
    const tags = { 'busybox:latest': A };
    const docker = engine(tags, ids);
    await pinnedHostViewImage(docker, dir);
    ids.delete(A);
    ids.add(B);
    tags['busybox:latest'] = B;
    expect(await pinnedHostViewImage(docker, dir)).toBe(B);
    expect(await recorded()).toMatchObject({ id: B });
  });

  it('pins again for another image name, and after a broken record was set aside', async () => {
    const docker = engine({ 'busybox:latest': A, 'other:1': B }, new Set([A, B]));
    await pinnedHostViewImage(docker, dir);
    expect(await pinnedHostViewImage(docker, dir, 'other:1')).toBe(B);
    vi.spyOn(log, 'warn').mockImplementation(() => undefined);
    await writeFile(join(dir, PIN_FILE), '{"version":1,"image":"busybox:latest","id":"sha256:nope"');
    expect(await pinnedHostViewImage(docker, dir)).toBe(A);
    expect((await readdir(dir)).filter((n) => n.startsWith(`${PIN_FILE}.broken-`))).toHaveLength(1);
  });

  it('says how to get the image when it is not in the engine', async () => {
    const err: unknown = await pinnedHostViewImage(engine({}, new Set()), dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LabError);
    expect((err as LabError).code).toBe('image-missing');
    expect((err as LabError).message).toContain('docker pull busybox:latest');
    expect(await readdir(dir)).toEqual([]);
  });
});
