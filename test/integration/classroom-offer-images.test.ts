// An image pack offered to the class, against the real engine over 127.0.0.1: the instructor's
// ClassroomService offers a pack built here (exportImagePack of busybox under an own tag); the
// learner's accept downloads it, checks size and SHA-256, and loads it through the same verified
// import as images.importPack. A pack changed on the hub after it was offered is refused and
// loads nothing. Only `itest-offer-*` tags are created and removed.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClassLearnerState } from '../../electron/api/contract';
import { ClassroomService } from '../../electron/services/classroom/classroom-handlers';
import { createDocker } from '../../electron/services/docker/client';
import { createPackImporter } from '../../electron/services/docker/image-handlers';
import { exportImagePack } from '../../electron/services/docker/image-pack';
import { dockerCli } from '../support/docker';
import { WaitingSink } from '../../electron/services/classroom/test-fixtures/events';

const TAG = 'itest-offer-pack:latest';
const { docker, endpoint } = createDocker();
let dir: string;
const services: ClassroomService[] = [];


async function imageId(ref: string): Promise<string | undefined> {
  return dockerCli('image', 'inspect', '--format', '{{.Id}}', ref).catch(() => undefined);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'netlab-itest-offer-'));
  await dockerCli('rmi', TAG).catch(() => undefined);
});

afterAll(async () => {
  for (const s of services.splice(0)) await s.dispose();
  // Untags only: the image stays as long as busybox:latest names it.
  await dockerCli('rmi', TAG).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

describe('an image pack offered to the class', () => {
  it('loads only after the learner accepts, through the verified import; a changed pack is refused', { timeout: 180_000 }, async () => {
    await dockerCli('tag', 'busybox:latest', TAG);
    const id = await imageId(TAG);
    const pack = join(dir, 'course.netlab-images.tar');
    await exportImagePack(docker, [TAG], pack, () => undefined);
    await dockerCli('rmi', TAG);
    expect(await imageId(TAG)).toBeUndefined();

    const teacher = new ClassroomService({ dataDir: join(dir, 'teacher'), sink: new WaitingSink(), lessons: () => undefined, interfaces: {}, announce: false });
    services.push(teacher);
    const hosted = await teacher.host('127.0.0.1:0');
    const sink = new WaitingSink();
    const learnerDir = join(dir, 'learner');
    const progress: string[] = [];
    sink.on('images.packProgress', (p: { progressId: string; phase: string }) => progress.push(`${p.progressId}:${p.phase}`));
    const learner = new ClassroomService({
      dataDir: learnerDir,
      sink,
      lessons: () => undefined,
      interfaces: {},
      announce: false,
      importImagePack: createPackImporter({ docker, endpoint, engineTimeoutMs: 60_000, sink }),
    });
    services.push(learner);
    /** The offer on the learner's side: already there, or at the event that brings it. */
    const offerArrives = async (id: string): Promise<void> => {
      const has = (s: ClassLearnerState): boolean => s.offers.some((o) => o.offerId === id);
      const later = sink.until('classroom.learner', has);
      if (!has(learner.learnerState())) await later;
    };
    const joined = sink.until('classroom.learner', (s) => s.state === 'joined');
    learner.join({ address: hosted.address!, code: hosted.fullCode!, name: 'Ada' });
    await joined;

    // Refuses what is not a pack before offering anything.
    await writeFile(join(dir, 'junk.tar'), 'junk');
    await expect(teacher.offer('image-pack', join(dir, 'junk.tar'))).rejects.toThrow();
    const { offers } = await teacher.offer('image-pack', pack);
    const offer = offers[0]!;
    expect(offer).toMatchObject({ kind: 'image-pack', title: 'course.netlab-images.tar', sizeBytes: (await readFile(pack)).length });
    await offerArrives(offer.offerId);
    // The offer alone loads nothing.
    expect(await imageId(TAG)).toBeUndefined();

    const done = (await learner.acceptOffer(offer.offerId, 'offer-1')).offers[0]!;
    expect(done).toMatchObject({ status: 'done', message: expect.stringContaining(TAG) });
    expect(await imageId(TAG)).toBe(id);
    expect(progress.some((p) => p.startsWith('offer-1:'))).toBe(true);
    // The download is gone once imported.
    expect(await readdir(join(learnerDir, 'class-content'))).toEqual([]);

    // Offered again, then changed on the hub: refused before the engine sees a byte.
    await dockerCli('rmi', TAG);
    const { offers: again } = await teacher.offer('image-pack', pack);
    const second = again[1]!;
    await offerArrives(second.offerId);
    const bytes = await readFile(pack);
    bytes[bytes.length - 2000] = bytes[bytes.length - 2000]! ^ 0xff;
    await writeFile(pack, bytes);
    const refused = (await learner.acceptOffer(second.offerId)).offers.find((o) => o.offerId === second.offerId)!;
    expect(refused).toMatchObject({ status: 'failed', message: expect.stringMatching(/SHA-256/) });
    expect(await imageId(TAG)).toBeUndefined();
    expect(await readdir(join(learnerDir, 'class-content'))).toEqual([]);
  });
});
