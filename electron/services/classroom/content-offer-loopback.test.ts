// Offered content over real TLS 1.3 on 127.0.0.1: an instructor's ClassroomService hosts and offers
// a lesson folder, a learner's ClassroomService (with a real lesson catalog, settings and consents)
// joins. Nothing is downloaded before the learner accepts; the folder then arrives byte for byte and
// its commands still need consent. A tampered or hostile download is refused and leaves nothing,
// and nobody but a member of the class can fetch the bytes. No engine; every wait is on an event.
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { once } from 'node:events';
import { Header } from 'tar';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClassLearnerState } from '../../api/contract';
import { LessonCatalog } from '../lessons/lesson-catalog';
import { LessonConsents } from '../settings/lesson-consent';
import { SettingsStore } from '../settings/settings-store';
import { channelBinding, channelProof, tokenKey } from './channel-proof';
import { ClassroomService, type ClassroomServiceOptions } from './classroom-handlers';
import type { ClassroomHub, OfferView } from './classroom-hub';
import { CONTENT_PATH, DownloadRefused, fetchOffer, LEARNER_HEADER, PROOF_HEADER } from './content-fetch';
import { parseJoinCode } from './join-code';
import { sha256File } from './content-pack';
import { parseHostPort } from './hub-address';
import { WaitingSink } from './test-fixtures/events';

const COURSE = resolve(__dirname, '../../../test/fixtures/courses/instructor-course');


let dir: string;
const services: ClassroomService[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'e19offer-'));
});
afterEach(async () => {
  for (const s of services.splice(0)) await s.dispose();
  await rm(dir, { recursive: true, force: true });
});

async function instructor(): Promise<{ classroom: ClassroomService; hub: ClassroomHub; address: string; fullCode: string }> {
  const classroom = new ClassroomService({ dataDir: join(dir, 'teacher'), sink: new WaitingSink(), lessons: () => undefined, interfaces: {}, announce: false });
  services.push(classroom);
  const dash = await classroom.host('127.0.0.1:0');
  // The hub itself, to play a hostile or tampering hub in some tests.
  const hub = classroom.hostedHub!;
  return { classroom, hub, address: dash.address!, fullCode: dash.fullCode! };
}

async function learner(name: string, teacher: { address: string; fullCode: string }, importImagePack?: ClassroomServiceOptions['importImagePack']) {
  const dataDir = join(dir, name);
  const settings = new SettingsStore(join(dataDir, 'settings.json'));
  await settings.load();
  const catalog = new LessonCatalog([], settings);
  await catalog.reload();
  const consents = new LessonConsents(settings, (id) => catalog.folderOf(id));
  const sink = new WaitingSink();
  const classroom = new ClassroomService({ dataDir, sink, lessons: () => undefined, interfaces: {}, announce: false, addLessonFolder: (d) => catalog.addFolder(d), ...(importImagePack ? { importImagePack } : {}) });
  services.push(classroom);
  const joined = sink.until('classroom.learner', (s) => s.state === 'joined');
  classroom.join({ address: teacher.address, code: teacher.fullCode, name });
  await joined;
  return { classroom, sink, catalog, consents, dataDir };
}

const offered = (id: string) => (s: ClassLearnerState): boolean => s.offers.some((o) => o.offerId === id);

/** The learner's state once the offer is there: now, or at the event that brings it (it may have come already). */
async function offerArrives(l: { classroom: ClassroomService; sink: WaitingSink }, id: string): Promise<ClassLearnerState> {
  const later = l.sink.until('classroom.learner', offered(id));
  const now = l.classroom.learnerState();
  return offered(id)(now) ? now : later;
}

async function files(root: string): Promise<Record<string, Buffer>> {
  const out: Record<string, Buffer> = {};
  for (const e of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out[join(e.parentPath, e.name).slice(root.length + 1)] = await readFile(join(e.parentPath, e.name));
  }
  return out;
}

/** A tar written header by header (what a hostile hub could serve). */
async function hostileTar(file: string): Promise<void> {
  const blocks: Buffer[] = [];
  const add = (path: string, type: string, body = '', linkpath?: string): void => {
    const h = new Header({ path, type: type as never, size: type === 'File' ? body.length : 0, mode: 0o644, mtime: new Date(0), ...(linkpath ? { linkpath } : {}) });
    const b = Buffer.alloc(512);
    h.encode(b, 0);
    blocks.push(b);
    if (body) blocks.push(Buffer.from(body), Buffer.alloc((512 - (body.length % 512)) % 512));
  };
  add('evil/lesson.yaml', 'File', 'id: evil\n');
  add('evil/en.md', 'SymbolicLink', '', '/etc/passwd');
  blocks.push(Buffer.alloc(1024));
  await writeFile(file, Buffer.concat(blocks));
}

describe('offering a lesson folder to the class', () => {
  it('arrives byte for byte only after the learner accepts, and its commands still need consent', async () => {
    const teacher = await instructor();
    const ada = await learner('ada', teacher);
    const dash = await teacher.classroom.offer('lesson-folder', COURSE);
    const offer = dash.offers[0]!;
    expect(offer).toMatchObject({ kind: 'lesson-folder', title: 'instructor-course', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const notice = await offerArrives(ada, offer.offerId);
    expect(notice.offers[0]).toMatchObject({ ...offer, status: 'offered', lessons: [] });
    // A notice only: nothing was fetched, nothing was added.
    expect(existsSync(join(ada.dataDir, 'class-content'))).toBe(false);
    expect(ada.catalog.list()).toEqual([]);

    const after = await ada.classroom.acceptOffer(offer.offerId);
    expect(after.offers[0]).toMatchObject({ offerId: offer.offerId, status: 'done', lessons: ['instructor-quiz'] });
    const folder = join(ada.dataDir, 'class-content', offer.offerId);
    expect(await files(folder)).toEqual(await files(COURSE));
    expect(await readdir(join(ada.dataDir, 'class-content'))).toEqual([offer.offerId]);
    // Added like a folder opened in Settings: the instructor's-lesson consent lists its commands and is not given.
    const lesson = ada.catalog.get('instructor-quiz');
    expect(lesson.lesson.source).toBe('extra');
    const consent = ada.consents.state(lesson);
    expect(consent).toMatchObject({ needed: true, granted: false, folder });
    expect(consent.commands.map((c) => c.command)).toContain('echo netlab-consent-ran');
    // Accepting again does nothing more.
    expect((await ada.classroom.acceptOffer(offer.offerId)).offers[0]!.status).toBe('done');
  });

  it('tells a learner who joins later, and leaving or declining discards the offer', async () => {
    const teacher = await instructor();
    const { offers } = await teacher.classroom.offer('lesson-folder', join(COURSE, 'instructor-quiz'));
    const bo = await learner('bo', teacher);
    await offerArrives(bo, offers[0]!.offerId);
    expect(bo.classroom.declineOffer(offers[0]!.offerId).offers).toEqual([]);
    await expect(bo.classroom.acceptOffer(offers[0]!.offerId)).rejects.toThrow(/no longer open/);

    const { offers: again } = await teacher.classroom.offer('lesson-folder', COURSE);
    await offerArrives(bo, again[1]!.offerId);
    expect((await bo.classroom.leave()).offers).toEqual([]);
    await expect(bo.classroom.acceptOffer(again[1]!.offerId)).rejects.toThrow(/no longer open/);
    expect(existsSync(join(bo.dataDir, 'class-content'))).toBe(false);
  });

  it('refuses a tampered download (hash or size) and a hostile tar, leaving nothing behind', async () => {
    const teacher = await instructor();
    const ada = await learner('ada', teacher);
    const content = join(ada.dataDir, 'class-content');

    // Changed on the hub after it was hashed: same size, other bytes.
    const { offers } = await teacher.classroom.offer('lesson-folder', COURSE);
    const id = offers[0]!.offerId;
    await offerArrives(ada, id);
    const tar = join(dir, 'teacher', 'classroom', 'offers', `${id}.tar`);
    const bytes = await readFile(tar);
    bytes[600] = bytes[600]! ^ 0xff;
    await writeFile(tar, bytes);
    const tampered = (await ada.classroom.acceptOffer(id)).offers[0]!;
    expect(tampered).toMatchObject({ status: 'failed', message: expect.stringMatching(/does not match the SHA-256/) });
    expect(await readdir(content)).toEqual([]);
    expect(ada.catalog.list()).toEqual([]);

    // Cut short.
    await truncate(tar, 1024);
    expect((await ada.classroom.acceptOffer(id)).offers[0]!.message).toMatch(/ended after 1024 of/);
    expect(await readdir(content)).toEqual([]);

    // A hostile hub offers a tar with a symbolic link, with its true hash.
    const evil = join(dir, 'evil.tar');
    await hostileTar(evil);
    const hostile: OfferView = { offerId: 'o-00000000000000ff', kind: 'lesson-folder', title: 'evil', sizeBytes: (await readFile(evil)).length, sha256: await sha256File(evil) };
    (teacher.hub as unknown as { offer(o: OfferView, f: string, owned: boolean): OfferView }).offer(hostile, evil, false);
    await offerArrives(ada, hostile.offerId);
    const refused = (await ada.classroom.acceptOffer(hostile.offerId)).offers.find((o) => o.offerId === hostile.offerId)!;
    expect(refused).toMatchObject({ status: 'failed', message: expect.stringMatching(/symbolic link/) });
    expect(await readdir(content)).toEqual([]);
    expect(ada.catalog.list()).toEqual([]);
  });

  it('withdrawn: learners are told, accepting is refused, the bytes are no longer served; what was added stays', async () => {
    const teacher = await instructor();
    const ada = await learner('ada', teacher);
    const { offers: [kept] } = await teacher.classroom.offer('lesson-folder', COURSE);
    await offerArrives(ada, kept!.offerId);
    expect((await ada.classroom.acceptOffer(kept!.offerId)).offers[0]!.status).toBe('done');
    const { offers } = await teacher.classroom.offer('lesson-folder', join(COURSE, 'instructor-quiz'));
    const gone = offers[1]!;
    await offerArrives(ada, gone.offerId);
    const packed = join(dir, 'teacher', 'classroom', 'offers', `${gone.offerId}.tar`);
    expect(existsSync(packed)).toBe(true);

    const withdrawn = ada.sink.until('classroom.learner', (s) => s.offers.some((o) => o.offerId === gone.offerId && o.status === 'withdrawn'));
    expect((await teacher.classroom.withdrawOffer(gone.offerId)).offers.map((o) => o.offerId)).toEqual([kept!.offerId]);
    const state = await withdrawn;
    // The one already accepted is untouched, and so is what it added.
    expect(state.offers.find((o) => o.offerId === kept!.offerId)?.status).toBe('done');
    expect(ada.catalog.get('instructor-quiz').lesson.source).toBe('extra');
    await expect(ada.classroom.acceptOffer(gone.offerId)).rejects.toThrow(/withdrew/);
    expect(await readdir(join(ada.dataDir, 'class-content'))).toEqual([kept!.offerId]);
    expect(existsSync(packed)).toBe(false);
    // Even a learner who asks anyway (an old app, a missed message) gets nothing.
    const credentials = (ada.classroom as unknown as { seat: { joined: { client: { learnerCredentials: { learnerId: string; token: string } } } } }).seat.joined.client.learnerCredentials;
    await expect(
      fetchOffer({ ...parseHostPort(teacher.address), fingerprint: parseJoinCode(teacher.fullCode).fingerprint!, credentials, offer: gone, destFile: join(dir, 'late.tar') }),
    ).rejects.toThrow();
    expect(existsSync(join(dir, 'late.tar'))).toBe(false);
    // Withdrawing twice, or what was never offered, says so.
    await expect(teacher.classroom.withdrawOffer(gone.offerId)).rejects.toThrow(/no such offer/);
    // A learner joining now hears only of the offer still open.
    const bo = await learner('bo', teacher);
    expect((await offerArrives(bo, kept!.offerId)).offers.map((o) => o.offerId)).toEqual([kept!.offerId]);
  });

  it('serves the bytes to members only: not without a proof, not to a stranger, not after leaving, not with a proof from another connection', async () => {
    const teacher = await instructor();
    const ada = await learner('ada', teacher);
    const { offers } = await teacher.classroom.offer('lesson-folder', COURSE);
    const offer = offers[0]!;
    await offerArrives(ada, offer.offerId);
    const address = parseHostPort(teacher.address);
    const fingerprint = parseJoinCode(teacher.fullCode).fingerprint!;
    const client = (ada.classroom as unknown as { seat: { joined: { client: { learnerCredentials: { learnerId: string; token: string } } } } }).seat.joined.client;
    const credentials = client.learnerCredentials;
    const attempt = (creds: { learnerId: string; token: string }, name: string): Promise<void> =>
      fetchOffer({ ...address, fingerprint, credentials: creds, offer, destFile: join(dir, name) });

    // A member's own request works (the same bytes the hub hashed).
    await attempt(credentials, 'member.tar');
    expect(await sha256File(join(dir, 'member.tar'))).toBe(offer.sha256);

    // A stranger with a made-up token, and a real learner id with the wrong token.
    await expect(attempt({ learnerId: 'l-000000000000', token: 'A'.repeat(43) }, 'stranger.tar')).rejects.toThrow(/no longer a member/);
    await expect(attempt({ learnerId: credentials.learnerId, token: 'B'.repeat(43) }, 'guess.tar')).rejects.toBeInstanceOf(DownloadRefused);

    /** One raw GET on a fresh pinned connection; `proof` gets that connection's binding. */
    const rawGet = async (path: string, proof: (binding: Buffer) => string): Promise<number> => {
      const socket: TLSSocket = tlsConnect({ ...address, rejectUnauthorized: false, minVersion: 'TLSv1.3' });
      await once(socket, 'secureConnect');
      try {
        return await new Promise<number>((resolveStatus, reject) => {
          const req = request({ createConnection: () => socket, path, headers: { [LEARNER_HEADER]: credentials.learnerId, [PROOF_HEADER]: proof(channelBinding(socket)) } });
          req.once('response', (res) => {
            res.resume();
            resolveStatus(res.statusCode ?? 0);
          });
          req.once('error', reject);
          req.end();
        });
      } finally {
        socket.destroy();
      }
    };
    const ownProof = (binding: Buffer): string => channelProof(tokenKey(credentials.token), 'learner-content', binding);

    // A proof made on another connection (recorded or relayed) is refused on this one.
    const other: TLSSocket = tlsConnect({ ...address, rejectUnauthorized: false, minVersion: 'TLSv1.3' });
    await once(other, 'secureConnect');
    const stale = ownProof(channelBinding(other));
    other.destroy();
    expect(await rawGet(`${CONTENT_PATH}${offer.offerId}`, () => stale)).toBe(403);
    // A member asking for what was never offered, or a garbled id, gets a 404 (and the hub lives on).
    expect(await rawGet(`${CONTENT_PATH}o-ffffffffffffffff`, ownProof)).toBe(404);
    expect(await rawGet(`${CONTENT_PATH}%E0%A4%A`, ownProof)).toBe(404);
    expect(await rawGet(`${CONTENT_PATH}${offer.offerId}`, ownProof)).toBe(200);

    // After leaving, the learner's own token no longer opens it.
    await ada.classroom.leave();
    await expect(attempt(credentials, 'left.tar')).rejects.toThrow(/no longer a member/);
    for (const f of ['stranger.tar', 'guess.tar', 'left.tar']) expect(existsSync(join(dir, f))).toBe(false);
  });

  it('hands an accepted image pack, verified, to the import, and deletes the download after it', async () => {
    const teacher = await instructor();
    const imported: { file: string; bytes: Buffer; progressId: string | undefined }[] = [];
    const ada = await learner('ada', teacher, async (file, progressId) => {
      imported.push({ file, bytes: await readFile(file), progressId });
      return { file, images: ['busybox:latest'], bytes: 0 } as never;
    });
    // Any file stands for the pack here (the engine's own import is test/integration/classroom-offer-images.test.ts).
    const pack = join(dir, 'course.netlab-images.tar');
    await writeFile(pack, Buffer.alloc(300_000, 7));
    const offer = await teacher.hub.offerImagePack(pack);
    await offerArrives(ada, offer.offerId);
    expect(imported).toEqual([]);
    const done = (await ada.classroom.acceptOffer(offer.offerId, 'p-1')).offers[0]!;
    expect(done).toMatchObject({ status: 'done', message: 'Imported: busybox:latest.' });
    expect(imported).toHaveLength(1);
    expect(imported[0]!.bytes.equals(await readFile(pack))).toBe(true);
    expect(imported[0]!.progressId).toBe('p-1');
    expect(existsSync(imported[0]!.file)).toBe(false);
  });
});
