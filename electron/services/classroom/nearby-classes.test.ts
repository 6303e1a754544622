// The Join screen's list of classes: listening starts with the first ask and stops when asks
// stop; a class hosted by another app instance shows up with its address and fingerprint.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventSink } from '../../api/contract';
import { ClassroomService } from './classroom-handlers';
import type { DiscoveredClass } from './discovery';
import { NearbyClasses } from './nearby-classes';

// This run's own mDNS port (see discovery.test.ts): nothing reaches a real network.
const MDNS_PORT = 40000 + Math.floor(Math.random() * 10000);
const sink: EventSink = { emit: () => undefined };

let dir: string;
const services: ClassroomService[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'e19nearby-'));
});
afterEach(async () => {
  vi.useRealTimers();
  for (const s of services.splice(0)) await s.dispose();
  await rm(dir, { recursive: true, force: true });
});

function fakeBrowser(found: DiscoveredClass[] = []): { browse: () => { list: () => DiscoveredClass[]; stop: () => Promise<void> }; started: number; stopped: number } {
  const counts = { started: 0, stopped: 0 };
  return Object.assign(counts, {
    browse: () => {
      counts.started++;
      return { list: () => found, stop: async () => void counts.stopped++ };
    },
  });
}

describe('NearbyClasses', () => {
  it('listens only while asked: the first ask starts it, and it stops once asks stop', async () => {
    vi.useFakeTimers();
    const fake = fakeBrowser();
    const nearby = new NearbyClasses({ browse: fake.browse, idleMs: 10_000 });
    expect(nearby.listening).toBe(false);
    expect(nearby.list()).toEqual({ listening: true, problem: null, classes: [] });
    vi.advanceTimersByTime(9_000);
    nearby.list(); // the screen asks again: the idle clock restarts
    vi.advanceTimersByTime(9_000);
    expect(nearby.listening).toBe(true);
    expect(fake.started).toBe(1);
    await vi.advanceTimersByTimeAsync(1_001);
    expect(nearby.listening).toBe(false);
    expect(fake.stopped).toBe(1);
  });

  it('says why when it cannot listen, and lists nothing', () => {
    const nearby = new NearbyClasses({
      browse: () => {
        throw new Error('bind EADDRINUSE 0.0.0.0:5353');
      },
    });
    expect(nearby.list()).toEqual({ listening: false, problem: 'bind EADDRINUSE 0.0.0.0:5353', classes: [] });
  });
});

describe('classroom.nearby between two app instances', () => {
  it('lists a class another instance hosts, with its address and fingerprint, and drops it when hosting stops', async () => {
    const teacher = new ClassroomService({ dataDir: join(dir, 'teacher'), sink, lessons: () => undefined, interfaces: {}, announce: { port: MDNS_PORT } });
    const learner = new ClassroomService({ dataDir: join(dir, 'learner'), sink, lessons: () => undefined, nearby: { mdns: { port: MDNS_PORT, refreshMs: 500, staleAfterMs: 5_000 } } });
    services.push(teacher, learner);
    const hosted = await teacher.host('127.0.0.1:0');

    await expect
      .poll(() => learner.nearby().classes.find((c) => c.address === hosted.address), { timeout: 20_000, interval: 200 })
      .toMatchObject({ address: hosted.address, fingerprint: hosted.fingerprint, compatible: true });

    await teacher.stopHosting();
    await expect.poll(() => learner.nearby().classes.some((c) => c.address === hosted.address), { timeout: 20_000, interval: 200 }).toBe(false);
  }, 45_000);
});
