// Connects a learner's running app to its class: the app's events and API calls go in, the
// feed keeps only what may be shared, and the client sends it. Nothing here reads a terminal:
// terminal events are ignored by name, so even a future event carrying output cannot leak.
import type { CheckpointStatus, CoachHint, LabSnapshot } from '../../api/types';
import type { LearnerClient } from './learner-client';
import type { LearnerProgressFeed } from './learner-feed';

export class LearnerSession {
  constructor(
    /** Where snapshots go: a client, or the app's classroom service, which sends only once joined. */
    private readonly client: Pick<LearnerClient, 'updateProgress'>,
    private readonly feed: LearnerProgressFeed,
  ) {}

  /** Every event the app emits; only checkpoint changes and coach hints are used. */
  onAppEvent(name: string, payload: unknown): void {
    if (name === 'checkpoints.changed') {
      const p = payload as { lessonId: string; checkpoints: CheckpointStatus[] };
      this.feed.onCheckpoints(p.lessonId, p.checkpoints);
    } else if (name === 'coach.hint') {
      this.feed.onCoachHint(payload as CoachHint);
    } else return;
    this.push();
  }

  /** Every API call that succeeded, with its input and result; only lesson and step changes and help asked for are used. */
  onApiCall(method: string, input: unknown, result: unknown): void {
    if (method === 'progress.setStep') {
      const i = input as { lessonId: string; stepId: string };
      this.feed.onStep(i.lessonId, i.stepId);
    } else if (method === 'lab.helpUsed') {
      const i = input as { lessonId: string; stepId: string; kind: 'hint' | 'solution'; n?: number };
      if (i.kind === 'hint') this.feed.onHintRevealed(i.lessonId, `${i.stepId}:hint-${i.n ?? 1}`);
      else this.feed.onSolutionUsed(i.lessonId, i.stepId);
    } else if (method === 'lab.open') {
      const snap = result as LabSnapshot;
      const lessonId = (input as { lessonId: string }).lessonId;
      this.feed.onStep(lessonId, snap.progress.stepId ?? 'start');
      this.feed.onCheckpoints(lessonId, snap.checkpoints);
    } else return;
    this.push();
  }

  private push(): void {
    const snap = this.feed.snapshot();
    if (snap) this.client.updateProgress(snap);
  }
}
