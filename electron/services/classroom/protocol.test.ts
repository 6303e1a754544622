import { describe, expect, it } from 'vitest';
import { encodeFrame, HubMessage, LearnerMessage, MAX_MESSAGE_BYTES, parseFrame, SHARE_CHUNK_CHARS } from './protocol';

const progress = { type: 'progress', lessonId: 'bridge', stepId: 's1', checkpoints: [{ id: 'ping', status: 'failed', reason: 'no route' }], hintsRevealed: [], solutionsUsed: [], secondsOnStep: 3, coachHint: null };

describe('learner messages', () => {
  it('accept exactly the shared fields', () => {
    expect(parseFrame(LearnerMessage, JSON.stringify(progress))).toMatchObject({ type: 'progress', lessonId: 'bridge' });
    expect(parseFrame(LearnerMessage, '{"type":"hand","raised":true}')).toEqual({ type: 'hand', raised: true });
  });

  it('have no room for terminal contents or commands, at any level', () => {
    for (const extra of [{ terminal: 'ls' }, { commands: ['docker ps'] }, { output: 'x' }]) {
      expect(parseFrame(LearnerMessage, JSON.stringify({ ...progress, ...extra }))).toBeNull();
      expect(() => encodeFrame(LearnerMessage, { ...progress, ...extra })).toThrow();
    }
    const nested = { ...progress, checkpoints: [{ id: 'ping', status: 'failed', reason: 'x', terminal: 'ls' }] };
    expect(parseFrame(LearnerMessage, JSON.stringify(nested))).toBeNull();
    expect(parseFrame(LearnerMessage, '{"type":"terminal","data":"ls"}')).toBeNull();
  });

  it('refuse control characters (terminal escapes) and over-long text', () => {
    expect(parseFrame(LearnerMessage, JSON.stringify({ ...progress, coachHint: 'hi\u001b[2J' }))).toBeNull();
    expect(parseFrame(LearnerMessage, JSON.stringify({ ...progress, coachHint: 'x'.repeat(501) }))).toBeNull();
    expect(parseFrame(LearnerMessage, JSON.stringify({ ...progress, coachHint: 'x'.repeat(500) }))).not.toBeNull();
  });

  it('refuse a frame over the size limit before parsing it', () => {
    const big = JSON.stringify({ ...progress, pad: 'x'.repeat(MAX_MESSAGE_BYTES) });
    expect(parseFrame(LearnerMessage, big)).toBeNull();
    expect(parseFrame(LearnerMessage, 'not json')).toBeNull();
  });
});

describe('hub messages', () => {
  it('are only a lesson prompt, a broadcast, a content offer or its withdrawal, welcome and refusal', () => {
    expect(HubMessage.options.map((o) => o.shape.type.value).sort()).toEqual(['broadcast', 'content-offer', 'content-withdrawn', 'refused', 'set-lesson', 'welcome']);
    expect(parseFrame(HubMessage, '{"type":"run","command":"rm -rf ~"}')).toBeNull();
    expect(parseFrame(HubMessage, '{"type":"set-lesson","lesson":{"lessonId":"dns","title":"DNS"},"autostart":true}')).toBeNull();
    expect(parseFrame(HubMessage, JSON.stringify({ type: 'content-offer', offerId: 'o', kind: 'lesson-folder', title: 't', sizeBytes: 1, commands: ['docker load'] }))).toBeNull();
    expect(() => encodeFrame(HubMessage, { type: 'broadcast', text: 'x'.repeat(281) })).toThrow();
  });
});

describe('the terminal share', () => {
  it('carries output from the learner in frames under the size limit, whatever the output holds', () => {
    // The worst case: every character a control character, escaped six-fold by JSON.
    const worst = '\u0001'.repeat(SHARE_CHUNK_CHARS);
    const frame = encodeFrame(LearnerMessage, { type: 'share-output', seq: 0, data: worst });
    expect(Buffer.byteLength(frame)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(parseFrame(LearnerMessage, frame)).toEqual({ type: 'share-output', seq: 0, data: worst });
    expect(() => encodeFrame(LearnerMessage, { type: 'share-output', seq: 0, data: 'x'.repeat(SHARE_CHUNK_CHARS + 1) })).toThrow();
    expect(parseFrame(LearnerMessage, JSON.stringify({ type: 'share-output', seq: -1, data: 'x' }))).toBeNull();
    expect(parseFrame(LearnerMessage, JSON.stringify({ type: 'share-output', seq: 1, data: 'x', skipped: 10 }))).not.toBeNull();
  });

  it('starts with a label and a size, never a terminal id, and refuses extra fields', () => {
    expect(parseFrame(LearnerMessage, JSON.stringify({ type: 'share-start', label: 'host', cols: 80, rows: 24 }))).not.toBeNull();
    expect(parseFrame(LearnerMessage, JSON.stringify({ type: 'share-start', label: 'host', cols: 80, rows: 24, terminalId: 'host-1' }))).toBeNull();
    expect(parseFrame(LearnerMessage, JSON.stringify({ type: 'share-start', label: 'a\u001b[2Jb', cols: 80, rows: 24 }))).toBeNull();
    expect(parseFrame(LearnerMessage, JSON.stringify({ type: 'share-start', label: 'host', cols: 0, rows: 24 }))).toBeNull();
    expect(parseFrame(LearnerMessage, JSON.stringify({ type: 'share-resize', cols: 100, rows: 30 }))).not.toBeNull();
    expect(parseFrame(LearnerMessage, JSON.stringify({ type: 'share-stop' }))).toEqual({ type: 'share-stop' });
    expect(parseFrame(LearnerMessage, JSON.stringify({ type: 'share-stop', now: true }))).toBeNull();
  });

  it('has no way back: the hub has no share message, so input cannot reach a terminal', () => {
    for (const type of ['share-input', 'share-start', 'share-output', 'share-resize', 'input', 'terminal-input']) {
      expect(parseFrame(HubMessage, JSON.stringify({ type, data: 'rm -rf ~\r' }))).toBeNull();
    }
    expect(HubMessage.options.some((o) => o.shape.type.value.startsWith('share'))).toBe(false);
  });
});
