import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LabSnapshot } from '../../api/types';
import { classListing, hostBanner, hostQr, offerLines, planClassroom, sharedWithClass, startClassroom, type RunningClassroom } from './classroom-cli';
import { ClassroomHub, type LearnerView } from './classroom-hub';
import { ClassBrowser, type DiscoveredClass } from './discovery';

let dir: string;
const running: RunningClassroom[] = [];
const hubs: ClassroomHub[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'e19classroom-cli-'));
});
afterEach(async () => {
  for (const r of running.splice(0)) await r.stop();
  for (const h of hubs.splice(0)) await h.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('planClassroom', () => {
  it('hosts on the address given; joins with the full code or the short code', async () => {
    expect(planClassroom({}, 'ada')).toEqual({ kind: 'none' });
    expect(planClassroom({ classroom: '127.0.0.1:7443' }, 'ada')).toEqual({ kind: 'host', address: { host: '127.0.0.1', port: 7443 }, announce: true });
    const hub = await ClassroomHub.start({ host: '127.0.0.1', port: 0, dataDir: join(dir, 'h') });
    hubs.push(hub);
    const plan = planClassroom({ join: '127.0.0.1:7443', code: hub.fullCode, name: '  Ada  ' }, 'ignored');
    expect(plan).toMatchObject({ kind: 'join', name: 'Ada', code: { fingerprint: hub.fingerprint } });
    // The short code alone plans a join without a pin: startClassroom has the learner compare first.
    expect(planClassroom({ join: '127.0.0.1:7443', code: hub.shortCode }, 'ada')).toMatchObject({ kind: 'join', code: { fingerprint: null } });
  });

  it('says what to type for every wrong combination', () => {
    expect(() => planClassroom({ classroom: '127.0.0.1:1', join: '127.0.0.1:2' }, 'a')).toThrow(/only one/);
    expect(() => planClassroom({ classroom: '127.0.0.1:1', code: 'X' }, 'a')).toThrow(/makes its own code/);
    expect(() => planClassroom({ join: '127.0.0.1:1' }, 'a')).toThrow(/needs the class code/);
    expect(() => planClassroom({ code: 'K7QFM-2XD9A' }, 'a')).toThrow(/go with --join/);
    expect(() => planClassroom({ classroom: '7443' }, 'a')).toThrow(/is not HOST:PORT/);
    expect(() => planClassroom({ noAnnounce: true }, 'a')).toThrow(/--no-announce goes with --classroom/);
    expect(() => planClassroom({ join: '127.0.0.1:1', code: 'K7QFM-2XD9A', noAnnounce: true }, 'a')).toThrow(/--no-announce goes with --classroom/);
    expect(() => planClassroom({ classes: true, classroom: '127.0.0.1:1' }, 'a')).toThrow(/only lists/);
    expect(() => planClassroom({ classes: true, join: '127.0.0.1:1' }, 'a')).toThrow(/only lists/);
  });

  it('announces a hosted class unless --no-announce; --classes browses', () => {
    expect(planClassroom({ classroom: '127.0.0.1:7443' }, 'a')).toMatchObject({ kind: 'host', announce: true });
    expect(planClassroom({ classroom: '127.0.0.1:7443', noAnnounce: true }, 'a')).toMatchObject({ kind: 'host', announce: false });
    expect(planClassroom({ classes: true }, 'a')).toEqual({ kind: 'browse' });
  });
});

describe('hostBanner', () => {
  it('prints the code, the fingerprint and one exact join command per address', async () => {
    const hub = await ClassroomHub.start({ host: '127.0.0.1', port: 0, dataDir: join(dir, 'h') });
    hubs.push(hub);
    const lines = hostBanner(hub, {});
    expect(lines).toContain(`Join code: ${hub.shortCode}`);
    expect(lines.join('\n')).toContain(hub.fingerprintText);
    expect(lines).toContain(`  npm run serve -- --join 127.0.0.1:${hub.address.port} --code ${hub.fullCode}`);
  });
});

// Announcements stay on this machine: the hub is on 127.0.0.1 (so is its mDNS interface) and
// the mDNS port is this run's own (discovery.test.ts explains).
const MDNS_PORT = 40000 + Math.floor(Math.random() * 10000);

describe('hosting announces the class and prints its QR code; --classes lists it', () => {
  it('a learner on the network finds the class, with a join command that still needs the code; it is gone when the host stops', async () => {
    const browser = new ClassBrowser({ interface: '127.0.0.1', port: MDNS_PORT });
    try {
      const found = new Promise<DiscoveredClass>((resolve) => browser.on('found', resolve));
      const term = terminal();
      const host = await startClassroom({ kind: 'host', address: { host: '127.0.0.1', port: 0 }, announce: true }, dir, term.print, 'en', { port: MDNS_PORT });
      running.push(host);
      const hub = host.hub!;
      expect(term.lines.join('\n')).toContain((await hostQr(hub, '127.0.0.1')).join('\n'));
      expect(term.lines).toContain('Announced on the local network (mDNS) as a class learners can list with --classes; --no-announce turns this off. The code is not announced.');

      const seen = await found;
      expect(seen.fingerprint.equals(hub.fingerprint)).toBe(true);
      const listing = classListing([seen], 3000).join('\n');
      expect(listing).toContain(`"NetLab class" at 127.0.0.1:${hub.address.port}, hub fingerprint ${hub.fingerprintText}`);
      expect(listing).toContain(`npm run serve -- --join 127.0.0.1:${hub.address.port} --code <FULL CODE>`);
      expect(listing).not.toContain(hub.shortCode);

      const lost = new Promise<DiscoveredClass>((resolve) => browser.on('lost', resolve));
      await host.stop();
      running.splice(running.indexOf(host), 1);
      expect((await lost).id).toBe(seen.id);
    } finally {
      await browser.stop();
    }
  }, 30_000);

  it('with --no-announce, prints the QR code and says nothing about announcing', async () => {
    const term = terminal();
    const host = await startClassroom({ kind: 'host', address: { host: '127.0.0.1', port: 0 }, announce: false }, dir, term.print, 'en', { port: MDNS_PORT });
    running.push(host);
    expect(term.lines).toContain('Learners can scan this (the address and the full code):');
    expect(term.lines.join('\n')).not.toMatch(/Announced/);
  });

  it('--classes says what to do when nothing answered, and marks a class of another version', () => {
    expect(classListing([], 3000)[0]).toBe('No class announced itself on this network in 3 s.');
    const other = { id: 'x', className: 'Room 9', address: { host: '10.0.0.9', port: 7443 }, fingerprint: Buffer.alloc(32), fingerprintText: '0000 0000 0000 0000', protocolVersion: 2, compatible: false };
    expect(classListing([other], 3000)).toEqual([
      "Classes on this network (heard in 3 s). Each still needs the full code from the instructor's screen:",
      '  "Room 9" at 10.0.0.9:7443, hub fingerprint 0000 0000 0000 0000',
      '    made with another NetLab version (classroom protocol 2): update NetLab to join it',
    ]);
  });
});

/** A terminal for startClassroom that lets a test wait for a line. */
function terminal(): { lines: string[]; print: (l: string) => void; until: (pred: (l: string) => boolean) => Promise<string> } {
  const lines: string[] = [];
  const waiters: { pred: (l: string) => boolean; resolve: (l: string) => void }[] = [];
  return {
    lines,
    print: (l) => {
      lines.push(l);
      for (const w of waiters.splice(0)) if (w.pred(l)) w.resolve(l);
      else waiters.push(w);
    },
    until: (pred) => {
      const seen = lines.find(pred);
      return seen !== undefined ? Promise.resolve(seen) : new Promise((resolve) => waiters.push({ pred, resolve }));
    },
  };
}

describe('startClassroom', () => {
  it('hosts a class and joins it; the session shares progress and the hint text, never a command or terminal output', async () => {
    const hostTerm = terminal();
    const host = await startClassroom({ kind: 'host', address: { host: '127.0.0.1', port: 0 } }, dir, hostTerm.print);
    running.push(host);
    const hub = host.hub!;
    const cmd = hostTerm.lines.find((l) => l.includes('--join'))!;
    const [, address, code] = /--join (\S+) --code (\S+)/.exec(cmd)!;

    const learnerTerm = terminal();
    const learner = await startClassroom(planClassroom({ join: address, code, name: 'Ada' }, 'x'), join(dir, 'learner'), learnerTerm.print);
    running.push(learner);
    expect(learnerTerm.lines).toEqual(sharedWithClass('Ada'));
    await learnerTerm.until((l) => l === 'classroom: joined NetLab class');
    await hostTerm.until((l) => l === 'classroom: Ada joined');

    const snapshot = { checkpoints: [{ id: 'ping', status: 'failed', reason: { en: 'no route', 'zh-CN': '无路由' } }], progress: { stepId: 's2', passed: {} } } as unknown as LabSnapshot;
    const opened = once(hub, 'learner-updated');
    learner.onApiCall('lab.open', { lessonId: 'bridge' }, snapshot);
    expect(((await opened)[0] as LearnerView).checkpoints).toEqual({ ping: { status: 'failed', reason: 'no route', failedAttempts: 1 } });

    const sentBefore = learner.client!.framesSent;
    learner.onAppEvent('terminal.data', { id: 't1', data: 'root@lab:/# cat secrets' });
    learner.onAppEvent('terminal.command', { command: 'docker ps', exitCode: 0 });
    expect(learner.client!.framesSent).toBe(sentBefore);

    const hinted = once(hub, 'learner-updated');
    learner.onAppEvent('coach.hint', { rule: 'r', message: { en: 'Use a user-defined network.', 'zh-CN': '用自定义网络' }, command: 'docker run --name secret-box alpine', at: 'now' });
    expect(((await hinted)[0] as LearnerView).coachHint).toBe('Use a user-defined network.');
    expect(JSON.stringify(hub.classRecord())).not.toMatch(/secret-box|cat secrets|docker ps/);

    const left = once(hub, 'learner-left');
    await learner.stop();
    running.splice(running.indexOf(learner), 1);
    expect(((await left)[0] as LearnerView).name).toBe('Ada');
  });

  it('with the short code, joins only after the learner says the fingerprint matches the projector', async () => {
    const hub = await ClassroomHub.start({ host: '127.0.0.1', port: 0, dataDir: join(dir, 'hub') });
    hubs.push(hub);
    const address = `127.0.0.1:${hub.address.port}`;
    const shown: string[] = [];
    const noTerm = terminal();
    const refused = await startClassroom(planClassroom({ join: address, code: hub.shortCode }, 'Ada'), join(dir, 'no'), noTerm.print, 'en', {}, {
      compare: async (fp) => (shown.push(fp), false),
    });
    expect(shown).toEqual([hub.fingerprintText]);
    expect(refused.client).toBeUndefined();
    expect(noTerm.lines.join('\n')).toMatch(/not joined: the fingerprint differs.*Nothing was sent/);

    const silent = terminal();
    const unasked = await startClassroom(planClassroom({ join: address, code: hub.shortCode }, 'Ada'), join(dir, 'tty'), silent.print);
    expect(unasked.client).toBeUndefined();
    expect(silent.lines.join('\n')).toMatch(/cannot ask \(not interactive\)\. Use the full code/);

    const term = terminal();
    const learner = await startClassroom(planClassroom({ join: address, code: hub.shortCode }, 'Ada'), join(dir, 'yes'), term.print, 'en', {}, { compare: async () => true });
    running.push(learner);
    await term.until((l) => l === 'classroom: joined NetLab class');
    expect(hub.classRecord().learners.map((l) => l.name)).toEqual(['Ada']);
  });

  it('tells the learner when the address is not the class hub, and sends nothing', async () => {
    const real = await ClassroomHub.start({ host: '127.0.0.1', port: 0, dataDir: join(dir, 'real') });
    const other = await ClassroomHub.start({ host: '127.0.0.1', port: 0, dataDir: join(dir, 'other') });
    hubs.push(real, other);
    const term = terminal();
    const learner = await startClassroom(planClassroom({ join: `127.0.0.1:${other.address.port}`, code: real.fullCode }, 'Ada'), dir, term.print);
    running.push(learner);
    expect(await term.until((l) => l.includes('is not the class hub'))).toMatch(/Nothing was sent/);
    expect(learner.client!.framesSent).toBe(0);
  });
});

describe('offerLines', () => {
  it('tells a --join learner what is offered and where to accept it, and that nothing was fetched', () => {
    const lines = offerLines({ kind: 'lesson-folder', title: 'week-2', sizeBytes: 10240, sha256: 'ab'.repeat(32) }).join('\n');
    expect(lines).toContain('a lesson folder "week-2" (10240 bytes, SHA-256 ' + 'ab'.repeat(32) + ')');
    expect(lines).toContain('Nothing was fetched');
    expect(lines).toContain('Home → Join a class');
    expect(offerLines({ kind: 'image-pack', title: 'p.tar', sizeBytes: 1, sha256: '0'.repeat(64) })[0]).toContain('an image pack "p.tar"');
  });
});
