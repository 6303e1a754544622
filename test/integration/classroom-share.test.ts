// The read-only terminal share through the app's real services: an instructor's and a learner's
// (each its own data dir), a real bash in node-pty on the learner's side, the hub on 127.0.0.1.
// What the learner's shell prints reaches the instructor's viewer; only the chosen terminal, and
// only while shared; the caller that did not open the terminal cannot share it.
import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { Events } from '../../electron/api/contract';
import { waitFor } from '../support/docker';
import { startTestServices, type TestServices } from '../support/services';

const started: TestServices[] = [];

afterEach(async () => {
  for (const t of started.splice(0)) {
    await t.services.dispose();
    await rm(t.dataDir, { recursive: true, force: true });
  }
});

function viewed(t: TestServices): string {
  return t.sink
    .of('classroom.shareOutput')
    .map((e: Events['classroom.shareOutput']) => (e.kind === 'output' ? e.data : ''))
    .join('');
}

describe('sharing a real terminal', () => {
  it("sends the shared shell's output to the instructor, nothing from another terminal, nothing after stopping", async () => {
    const teacher = await startTestServices('e19share-teacher-');
    started.push(teacher);
    const learner = await startTestServices('e19share-learner-');
    started.push(learner);

    const hosted = await teacher.api['classroom.host']({ address: '127.0.0.1:0' });
    await learner.api['classroom.join']({ address: hosted.address!, code: hosted.fullCode!, name: 'Ada' });
    await waitFor(() => learner.sink.of('classroom.learner').some((s) => s.state === 'joined'), 'the learner to join');

    const shared = await learner.api['terminal.open']({ kind: 'host', cols: 90, rows: 25 }, { caller: 'page-1' });
    const other = await learner.api['terminal.open']({ kind: 'host', cols: 80, rows: 24 }, { caller: 'page-1' });
    await waitFor(() => learner.sink.output(shared.id).length > 0 && learner.sink.output(other.id).length > 0, 'both prompts');
    // Another page's terminal is not this caller's to share.
    await expect(learner.api['classroom.shareTerminal']({ terminalId: shared.id }, { caller: 'page-2' })).rejects.toThrow(/no such terminal/);

    await learner.api['classroom.shareTerminal']({ terminalId: shared.id }, { caller: 'page-1' });
    await waitFor(async () => (await teacher.api['classroom.dashboard']({})).learners[0]?.sharing !== null, 'the dashboard to mark the share');
    const learnerId = (await teacher.api['classroom.dashboard']({})).learners[0]!.id;
    const view = await teacher.api['classroom.openShare']({ learnerId }, { caller: 'dash' });
    expect(view).toMatchObject({ name: 'Ada', label: 'host', cols: 90, rows: 25 });

    await learner.api['terminal.input']({ id: other.id, data: 'echo OTHER-$((6*7))\r' });
    await learner.api['terminal.input']({ id: shared.id, data: 'echo SHARED-$((6*7))-LINE\r' });
    await waitFor(() => viewed(teacher).includes('SHARED-42-LINE'), "the shared shell's output at the instructor's");
    // The shell-integration marks (and the nonce they carry) stay home; the learner's own stream has them.
    expect(learner.sink.output(shared.id)).toContain('\x1b]133;');
    expect(viewed(teacher)).not.toContain('\x1b]133;');
    expect(viewed(teacher)).not.toContain('\x1b]633;');
    await waitFor(() => learner.sink.output(other.id).includes('OTHER-42'), 'the other shell to print');
    await learner.api['terminal.resize']({ id: shared.id, cols: 120, rows: 30 });
    await waitFor(() => teacher.sink.of('classroom.shareOutput').some((e) => e.kind === 'resize' && e.cols === 120), 'the resize');

    await learner.api['classroom.stopSharing']({});
    await waitFor(() => teacher.sink.of('classroom.shareOutput').some((e) => e.kind === 'stop'), 'the stop');
    await learner.api['terminal.input']({ id: shared.id, data: 'echo AFTER-$((6*7))\r' });
    await waitFor(() => learner.sink.output(shared.id).includes('AFTER-42'), 'the shell to print after stopping');
    // A later message from the learner arrives: anything sent before it would have too.
    await learner.api['classroom.hand']({ raised: true });
    await waitFor(async () => (await teacher.api['classroom.dashboard']({})).learners[0]?.handRaised === true, 'the hand');
    expect(viewed(teacher)).not.toContain('AFTER-42');
    expect(viewed(teacher)).not.toContain('OTHER-42');

    // Sharing again, then the terminal ends: the share ends with it.
    await learner.api['classroom.shareTerminal']({ terminalId: shared.id }, { caller: 'page-1' });
    await waitFor(async () => (await teacher.api['classroom.dashboard']({})).learners[0]?.sharing !== null, 'the share again');
    await learner.api['terminal.close']({ id: shared.id });
    await waitFor(async () => (await learner.api['classroom.learnerState']({})).sharing === null, 'the share to end with its terminal');
    await waitFor(async () => (await teacher.api['classroom.dashboard']({})).learners[0]?.sharing === null, 'the dashboard to drop the share');
  });
});
