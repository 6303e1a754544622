import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClassroomHub } from './classroom-hub';
import {
  announceClass,
  announceInterface,
  ClassBrowser,
  classTxt,
  instanceName,
  parseTxt,
  pinForDiscoveredClass,
  sanitiseClassName,
  validateService,
  type DiscoveredClass,
} from './discovery';
import { formatFullCode } from './join-code';

// Multicast on this machine's loopback works (IP_MULTICAST_IF 127.0.0.1, with the socket bound
// to 0.0.0.0), so announcer and browser meet on 127.0.0.1 with an mDNS port of this run's own:
// nothing reaches a real network, and no other mDNS traffic reaches the tests.
const MDNS_PORT = 40000 + Math.floor(Math.random() * 10000);
const LOOPBACK = { interface: '127.0.0.1', port: MDNS_PORT };

let dir: string;
const cleanups: (() => Promise<unknown> | void)[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'e19discovery-'));
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await rm(dir, { recursive: true, force: true });
});

function browse(opts: ConstructorParameters<typeof ClassBrowser>[0] = {}): ClassBrowser {
  const browser = new ClassBrowser({ ...LOOPBACK, ...opts });
  cleanups.push(() => browser.stop());
  return browser;
}

/** Resolves with the first event of `name` whose class passes `pred`. */
function next(browser: ClassBrowser, name: 'found' | 'lost' | 'changed', pred: (c: DiscoveredClass) => boolean): Promise<DiscoveredClass> {
  return new Promise((resolve) => {
    const on = (c: DiscoveredClass): void => {
      if (!pred(c)) return;
      browser.off(name, on);
      resolve(c);
    };
    browser.on(name, on);
  });
}

const fp = Buffer.alloc(32, 7);
const fpText = formatFullCode('0000000000', fp).split('.')[1]!;

function announcer(name: string, txt: Record<string, string>, port = 7443): { child: ChildProcess; up: Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(__dirname, 'test-fixtures/mdns-announcer.ts'), String(port), String(MDNS_PORT), name, JSON.stringify(txt)], { stdio: ['ignore', 'pipe', 'inherit'] });
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const up = new Promise<void>((ok) => createInterface({ input: child.stdout! }).on('line', (l) => l === 'up' && ok()));
  return { child, up };
}

describe('a hub announced on the network', () => {
  it('is found by a browser in another instance, with its name, address and fingerprint, and lost when the hub stops', async () => {
    const hub = await ClassroomHub.start({ host: '127.0.0.1', port: 0, dataDir: dir, className: 'Docker networks, room 4' });
    cleanups.push(() => hub.stop());
    const browser = browse();
    const found = next(browser, 'found', (c) => c.fingerprint.equals(hub.fingerprint));
    announceClass({ address: hub.address, fingerprint: hub.fingerprint, className: hub.classRecord().className }, { port: MDNS_PORT, stopWith: hub });

    const seen = await found;
    expect(seen).toMatchObject({ className: 'Docker networks, room 4', address: hub.address, fingerprintText: hub.fingerprintText, protocolVersion: 1, compatible: true });
    expect(browser.list().map((c) => c.id)).toContain(seen.id);
    // The announcement carries no part of the code.
    expect(JSON.stringify(classTxt({ address: hub.address, fingerprint: hub.fingerprint, className: 'x' }))).not.toContain(hub.shortCode.replace('-', '').slice(0, 10));

    const lost = next(browser, 'lost', (c) => c.id === seen.id);
    await hub.stop(); // its 'stopping' ends the announcement: a goodbye, no waiting for a TTL
    expect((await lost).id).toBe(seen.id);
    expect(browser.list().map((c) => c.id)).not.toContain(seen.id);
  }, 30_000);

  it('drops a class whose hub died without a goodbye (SIGKILL), once it stops answering', async () => {
    const browser = browse({ refreshMs: 200, staleAfterMs: 1_000 });
    const found = next(browser, 'found', (c) => c.className === 'Crashing class');
    const { child } = announcer('Crashing class [AAAA]', { v: '1', name: 'Crashing class', fp: fpText });
    const seen = await found;
    expect(seen.fingerprint.equals(fp)).toBe(true);
    expect(seen.address.host).toBe('127.0.0.1');

    const lost = next(browser, 'lost', (c) => c.id === seen.id);
    child.kill('SIGKILL');
    expect((await lost).className).toBe('Crashing class');
  }, 30_000);

  it('shows a hostile class name without its control characters, and lists another protocol version as not joinable', async () => {
    const browser = browse();
    const found = next(browser, 'found', (c) => c.fingerprint.equals(fp));
    const { up } = announcer('Evil [BBBB]', { v: '9', name: 'Evil\u001b[2J\u202eclass\u0007', fp: fpText });
    await up;
    const seen = await found;
    expect(seen.className).toBe('Evil[2Jclass');
    expect(seen).toMatchObject({ protocolVersion: 9, compatible: false });
  }, 30_000);
});

describe('validateService: TXT from the network is untrusted', () => {
  const good = { fqdn: 'Room 4 [AAAAAAAA]._netlab-class._tcp.local', port: 7443, referer: { address: '192.168.1.10', family: 'IPv4' as const, port: 5353, size: 300 } };
  const txt = (entries: string[]): Buffer[] => entries.map((e) => Buffer.from(e));

  it('accepts a well-formed record and refuses each near miss', () => {
    expect(validateService({ ...good, rawTxt: txt(['v=1', 'name=Room 4', `fp=${fpText}`]) })).toMatchObject({ className: 'Room 4', address: { host: '192.168.1.10', port: 7443 }, compatible: true });
    expect(validateService({ ...good, rawTxt: txt(['v=1', 'name=Room 4', `fp=${fpText.slice(1)}`]) })).toBeNull();
    expect(validateService({ ...good, rawTxt: txt(['v=1', 'name=Room 4', `fp=${fpText.slice(1)}I`]) })).toBeNull();
    expect(validateService({ ...good, rawTxt: txt(['v=one', 'name=Room 4', `fp=${fpText}`]) })).toBeNull();
    expect(validateService({ ...good, rawTxt: txt(['v=1', `fp=${fpText}`]) })).toBeNull();
    expect(validateService({ ...good, rawTxt: txt(['v=1', 'name=\u0007\u200b', `fp=${fpText}`]) })).toBeNull();
    expect(validateService({ ...good, port: 0, rawTxt: txt(['v=1', 'name=Room 4', `fp=${fpText}`]) })).toBeNull();
    expect(validateService({ ...good, referer: { ...good.referer, address: 'evil.example' }, rawTxt: txt(['v=1', 'name=Room 4', `fp=${fpText}`]) })).toBeNull();
    expect(validateService({ ...good, rawTxt: 'v=1' })).toBeNull();
  });

  it('refuses oversized or non-UTF-8 records; the first of a repeated key wins; the name is capped', () => {
    expect(parseTxt(txt(['v=1', `name=${'x'.repeat(400)}`]))).toBeNull();
    expect(parseTxt(txt(Array.from({ length: 9 }, (_, i) => `k${'a'.repeat(i)}=1`)))).toBeNull();
    expect(parseTxt([Buffer.from([0x6e, 0x3d, 0xff, 0xfe])])).toBeNull();
    expect(parseTxt(txt(['V=1', 'v=2', '__proto__=x']))).toEqual({ v: '1' });
    expect(sanitiseClassName('a'.repeat(100))).toHaveLength(64);
    expect(sanitiseClassName(' Room\n\t4 \u202e')).toBe('Room 4');
  });

  it('gives two hubs with one class name different instance names that fit a DNS label', () => {
    const a = instanceName({ address: { host: '0.0.0.0', port: 1 }, fingerprint: Buffer.alloc(32, 1), className: 'Room 4' });
    const b = instanceName({ address: { host: '0.0.0.0', port: 1 }, fingerprint: Buffer.alloc(32, 2), className: 'Room 4' });
    expect(a).not.toBe(b);
    expect(Buffer.byteLength(instanceName({ address: { host: '0.0.0.0', port: 1 }, fingerprint: fp, className: '教室'.repeat(30) }))).toBeLessThanOrEqual(63);
  });

  it('announces on the hub address, on every interface for 0.0.0.0, and refuses IPv6 with a reason', () => {
    expect(announceInterface('192.168.1.10')).toBe('192.168.1.10');
    expect(announceInterface('0.0.0.0')).toBeUndefined();
    expect(() => announceInterface('fe80::1')).toThrow(/IPv4/);
  });
});

describe('pinForDiscoveredClass: the code decides, mDNS only hints', () => {
  const entry = validateService({ fqdn: 'x._netlab-class._tcp.local', port: 7443, referer: { address: '10.0.0.2', family: 'IPv4', port: 5353, size: 1 }, rawTxt: [Buffer.from('v=1'), Buffer.from('name=Room 4'), Buffer.from(`fp=${fpText}`)] })!;

  it('takes a full code whose fingerprint matches, and refuses one for another hub', () => {
    expect(pinForDiscoveredClass(entry, formatFullCode('K7QFM2XD9A', fp)).fingerprint.equals(fp)).toBe(true);
    expect(() => pinForDiscoveredClass(entry, formatFullCode('K7QFM2XD9A', Buffer.alloc(32, 8)))).toThrow(/not for "Room 4"/);
  });

  it('with the short code, pins only after the learner compared the fingerprint with the projector', () => {
    expect(() => pinForDiscoveredClass(entry, 'K7QFM-2XD9A')).toThrow(/Compare the fingerprint first/);
    expect(() => pinForDiscoveredClass(entry, 'K7QFM-2XD9A', 'ABCD ABCD ABCD ABCD')).toThrow(/impostor/);
    expect(pinForDiscoveredClass(entry, 'K7QFM-2XD9A', entry.fingerprintText.toLowerCase())).toEqual({ secret: 'K7QFM2XD9A', fingerprint: fp });
  });
});
