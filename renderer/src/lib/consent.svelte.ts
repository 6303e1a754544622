// Consent before an instructor's lesson runs anything. The first Run or "Do it
// for me" of a lesson from outside the built-in course, or the learner's own
// "Review", shows everything the lesson can type and every check it runs by
// itself, and waits for Allow. The main process keeps the answer per lesson
// (until the lesson changes) and enforces it: a Run or a probe without it does
// nothing there. In the desktop app the main process asks in its own dialog,
// so the page only forwards the request.
import type { LessonConsent } from '../../../electron/api/types';

export interface ConsentApi {
  check(): Promise<LessonConsent>;
  /** Records consent to the lesson as shown; in the desktop app it opens the app's own dialog first. */
  allow(): Promise<LessonConsent>;
}

export interface PendingRun {
  /** What to do once allowed; nothing when the learner only reviews. */
  run?: () => void;
}

export class ConsentGate {
  /** null until checked; an unknown answer asks (fails closed). */
  info = $state<LessonConsent | null>(null);
  pending = $state<PendingRun | null>(null);
  error = $state('');

  constructor(private readonly api: ConsentApi) {}

  async load(): Promise<void> {
    try {
      this.info = await this.api.check();
    } catch {
      this.info = null;
    }
  }

  /** Whether the lesson's own checks wait for consent (a notice offers to review them). */
  get probesWaiting(): boolean {
    return !!this.info && this.info.needed && !this.info.granted && this.info.probes.length > 0;
  }

  /** Runs at once when no consent is needed or it was given; otherwise asks, then runs. */
  request(run?: () => void): void {
    if (this.info && (!this.info.needed || this.info.granted)) {
      run?.();
      return;
    }
    this.error = '';
    this.pending = run ? { run } : {};
    // The desktop app's own dialog asks; the page shows nothing of its own.
    if (this.info?.askedBy === 'app') void this.allow();
  }

  async allow(): Promise<void> {
    const pending = this.pending;
    if (!pending) return;
    try {
      this.info = await this.api.allow();
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
      if (this.info?.askedBy === 'app') this.pending = null;
      return;
    }
    this.pending = null;
    // Only what the learner saw and allowed runs now.
    if (this.info.granted || !this.info.needed) pending.run?.();
  }

  cancel(): void {
    this.pending = null;
    this.error = '';
  }
}
