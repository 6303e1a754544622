import { describe, expect, it } from 'vitest';
import type { Localized } from '../../api/types';
import { LearnerProgressFeed } from './learner-feed';
import { Progress } from './protocol';

const en = (s: string): Localized => ({ en: s, 'zh-CN': `zh:${s}` });

describe('LearnerProgressFeed', () => {
  it('has nothing to share before a lesson step is open', () => {
    expect(new LearnerProgressFeed('en', () => 0).snapshot()).toBeNull();
  });

  it('shares checkpoint states with reasons, counting each new failure once', () => {
    let t = 0;
    const feed = new LearnerProgressFeed('zh-CN', () => t);
    feed.onStep('bridge', 's1');
    feed.onCheckpoints('bridge', [{ id: 'ping', status: 'failed', reason: en('no route') }]);
    feed.onCheckpoints('bridge', [{ id: 'ping', status: 'failed', reason: en('no route') }]);
    feed.onCheckpoints('bridge', [{ id: 'ping', status: 'failed', reason: en('name not found') }]);
    feed.onCheckpoints('other', [{ id: 'ping', status: 'passed' }]);
    t = 90_500;
    const snap = feed.snapshot()!;
    expect(snap.checkpoints).toEqual([{ id: 'ping', status: 'failed', reason: 'zh:name not found', failedAttempts: 2 }]);
    expect(snap.secondsOnStep).toBe(90);
    feed.onCheckpoints('bridge', [{ id: 'ping', status: 'passed', reason: en('stale'), passedAt: 'x' }]);
    expect(feed.snapshot()!.checkpoints).toEqual([{ id: 'ping', status: 'passed', failedAttempts: 2 }]);
    expect(() => Progress.parse({ type: 'progress', ...feed.snapshot()! })).not.toThrow();
  });

  it('shares a checkpoint set aside on this engine as waiting, with why, never as a failure', () => {
    const feed = new LearnerProgressFeed('en', () => 0);
    feed.onStep('host-mode', 'run-host');
    feed.onCheckpoints('host-mode', [{ id: 'on-host', status: 'unavailable', unmet: [{ need: 'host-network', cause: 'refused', detail: 'policy' }] }]);
    const snap = feed.snapshot()!;
    expect(snap.checkpoints).toEqual([{ id: 'on-host', status: 'pending', reason: 'not available on this engine (needs host-network)', failedAttempts: 0 }]);
    expect(() => Progress.parse({ type: 'progress', ...snap })).not.toThrow();
  });

  it('shares the coach hint message but never the command behind it', () => {
    const feed = new LearnerProgressFeed('en', () => 0);
    feed.onStep('bridge', 's1');
    feed.onCoachHint({ rule: 'dns-on-default-bridge', message: en('Use a user-defined network.\u001b[31m'), command: 'docker run --name secret-box alpine', at: 'now' });
    const snap = feed.snapshot()!;
    expect(snap.coachHint).toBe('Use a user-defined network. [31m');
    expect(JSON.stringify(snap)).not.toContain('secret-box');
    expect(() => Progress.parse({ type: 'progress', ...snap })).not.toThrow();
  });

  it('cuts long reasons to the protocol limit, and restarts the clock and slate on a new lesson', () => {
    let t = 0;
    const feed = new LearnerProgressFeed('en', () => t);
    feed.onStep('bridge', 's1');
    feed.onHintRevealed('bridge', 's1:hint-1');
    feed.onSolutionUsed('bridge', 's1');
    // Help from another lesson (a late call after switching) is not this one's.
    feed.onHintRevealed('dns', 's1:hint-2');
    feed.onSolutionUsed('dns', 's2');
    feed.onCheckpoints('bridge', [{ id: 'a', status: 'failed', reason: en('x'.repeat(1000)) }]);
    const snap = feed.snapshot()!;
    expect(snap.checkpoints[0]!.reason).toHaveLength(300);
    expect(() => Progress.parse({ type: 'progress', ...snap })).not.toThrow();
    expect(snap.hintsRevealed).toEqual(['s1:hint-1']);
    expect(snap.solutionsUsed).toEqual(['s1']);
    t = 10_000;
    feed.onStep('bridge', 's1');
    expect(feed.snapshot()!.secondsOnStep).toBe(10);
    feed.onStep('dns', 's1');
    expect(feed.snapshot()).toMatchObject({ checkpoints: [], hintsRevealed: [], solutionsUsed: [], secondsOnStep: 0, coachHint: null });
  });
});
