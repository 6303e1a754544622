// The dashboard's updates both ways: what the hub sends (whole first, then only changed rows)
// and what a page makes of them (the same dashboard, unchanged rows kept, gaps refused).
import { describe, expect, it } from 'vitest';
import type { ClassDashboard, ClassLearnerRow } from '../../api/contract';
import { applyDashboardUpdate, olderThan, type ClassDashboardUpdate } from '../../api/dashboard-update';
import { DashboardFeed } from './dashboard-feed';

type Unversioned = Omit<ClassDashboard, 'version'>;

const row = (id: string, status: 'pending' | 'passed' | 'failed' = 'pending', extra: Partial<ClassLearnerRow> = {}): ClassLearnerRow => ({
  id,
  name: id,
  connected: true,
  left: false,
  lessonId: 'kinds',
  stepId: 's1',
  secondsOnStep: 0,
  handRaised: false,
  stuck: { stuck: false, noProgress: false, repeatedFailure: null, handRaised: false },
  cells: { listed: { status, reason: status === 'failed' ? 'no network yet' : null, failedAttempts: status === 'failed' ? 1 : 0 } },
  sharing: null,
  ...extra,
});

const dash = (learners: ClassLearnerRow[], extra: Partial<Unversioned> = {}): Unversioned => ({
  hosting: true,
  address: '127.0.0.1:7443',
  reach: 'this computer only',
  shortCode: 'K7QFM-2XD9A',
  fullCode: 'K7QFM-2XD9A.PIN',
  fingerprint: 'AB:CD',
  qrSvg: '<svg><path d="M0 0h1"/></svg>',
  announced: false,
  warning: null,
  stuckMinutes: 5,
  lesson: { lessonId: 'kinds', title: 'Kinds' },
  checkpoints: [{ id: 'listed', title: { en: 'Listed' } }],
  learners,
  summary: [],
  offers: [],
  ...extra,
});

const strip = (d: ClassDashboard | null): Unversioned | null => {
  if (!d) return null;
  const { version: _v, ...rest } = d;
  return rest;
};

describe('DashboardFeed and applyDashboardUpdate', () => {
  it('sends the whole dashboard first, then only the rows that changed; a page folds them into the same dashboard', () => {
    const feed = new DashboardFeed();
    const states = [
      dash([row('a'), row('b'), row('c')]),
      dash([row('a'), row('b', 'failed'), row('c')]),
      dash([row('a', 'passed'), row('b', 'failed'), row('c'), row('d')]),
      dash([row('a', 'passed'), row('d')], { stuckMinutes: 10 }),
      dash([row('d', 'passed', { handRaised: true }), row('a', 'passed')]),
    ];
    let page: ClassDashboard | null = null;
    const updates: ClassDashboardUpdate[] = [];
    for (const state of states) {
      const u = feed.next(state);
      updates.push(u);
      const before = page;
      page = applyDashboardUpdate(page, u);
      expect(strip(page)).toEqual(state);
      // Rows the update did not carry are the very objects the page had.
      if (before && 'delta' in u) for (const l of page!.learners) if (!u.delta.rows.some((r) => r.id === l.id)) expect(before.learners).toContain(l);
    }
    expect(updates.map((u) => ('full' in u ? 'full' : u.delta.rows.map((r) => r.id).join(',')))).toEqual(['full', 'b', 'a,d', '', 'd']);
    expect(updates.map((u) => u.version.seq)).toEqual([1, 2, 3, 4, 5]);
    // The QR code rides only in whole dashboards.
    expect(updates.slice(1).every((u) => 'delta' in u && !('qrSvg' in u.delta.header))).toBe(true);
  });

  it('a new QR code, and any dashboard a caller got, make the next update whole', () => {
    const feed = new DashboardFeed();
    feed.next(dash([row('a')]));
    expect('delta' in feed.next(dash([row('a', 'passed')]))).toBe(true);
    expect('full' in feed.next(dash([row('a', 'passed')], { qrSvg: '<svg/>' }))).toBe(true);
    const snap = feed.snapshot(dash([row('a', 'failed')], { qrSvg: '<svg/>' }));
    expect(snap.version.seq).toBe(3);
    // The caller's copy may hold a change the updates never carried: the next one is whole.
    expect('full' in feed.next(dash([row('a', 'failed')], { qrSvg: '<svg/>' }))).toBe(true);
    expect('delta' in feed.next(dash([row('a', 'passed')], { qrSvg: '<svg/>' }))).toBe(true);
  });

  it('a page refuses a gap, a delta before any whole dashboard and one from another run; keeps what is newer', () => {
    const feed = new DashboardFeed();
    const first = feed.next(dash([row('a')]));
    const second = feed.next(dash([row('a', 'passed')]));
    const third = feed.next(dash([row('a', 'failed')]));
    const page = applyDashboardUpdate(null, first)!;
    expect(applyDashboardUpdate(null, second)).toBeNull();
    expect(applyDashboardUpdate(page, third)).toBeNull();
    const later = applyDashboardUpdate(applyDashboardUpdate(page, second), third)!;
    expect(later.learners[0]!.cells['listed']?.status).toBe('failed');
    // An update the page already has changes nothing.
    expect(applyDashboardUpdate(later, second)).toBe(later);
    // Another run of the service (a restarted app): its whole dashboard is taken, its deltas are not.
    const other = new DashboardFeed();
    const otherFirst = other.next(dash([row('z')]));
    const otherSecond = other.next(dash([row('z', 'passed')]));
    expect(applyDashboardUpdate(later, otherSecond)).toBeNull();
    expect(applyDashboardUpdate(later, otherFirst)?.learners.map((l) => l.id)).toEqual(['z']);
    // A delta naming a row the page never had is out of step too.
    const fresh = new DashboardFeed();
    const f1 = fresh.next(dash([row('a')]));
    const f2 = fresh.next(dash([row('a'), row('b')]));
    const pageWithoutA = { ...applyDashboardUpdate(null, f1)!, learners: [] };
    expect(applyDashboardUpdate(pageWithoutA, f2)).toBeNull();
  });

  it('olderThan: a call result older than the shown dashboard, from the same run only', () => {
    const feed = new DashboardFeed();
    const shown = applyDashboardUpdate(null, feed.next(dash([row('a')])))!;
    const old = { ...shown, version: { ...shown.version, seq: 0 } };
    expect(olderThan(old, shown)).toBe(true);
    expect(olderThan(shown, shown)).toBe(false);
    expect(olderThan(old, null)).toBe(false);
    expect(olderThan({ ...old, version: { feed: 'another run', seq: 0 } }, shown)).toBe(false);
  });
});
