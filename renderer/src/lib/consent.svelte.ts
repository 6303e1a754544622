// Consent before an instructor's folder runs anything: the first "Do it for me"
// or Run of an extra lesson shows the exact commands and waits for Allow. The
// services remember the answer per folder (until the folder's lessons change);
// built-in lessons never ask.
import type { LessonConsent, SolutionCommand } from '../../../electron/api/types';

export interface ConsentApi {
  check(): Promise<LessonConsent>;
  allow(): Promise<void>;
}

export interface PendingRun {
  commands: SolutionCommand[];
  run: () => void;
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

  /** Runs at once when no consent is needed or it was given; otherwise shows the commands and waits. */
  request(commands: SolutionCommand[], run: () => void): void {
    if (this.info && (!this.info.needed || this.info.granted)) {
      run();
      return;
    }
    this.error = '';
    this.pending = { commands: [...commands], run };
  }

  async allow(): Promise<void> {
    const pending = this.pending;
    if (!pending) return;
    try {
      await this.api.allow();
      this.info = await this.api.check();
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
      return;
    }
    this.pending = null;
    // Only what the learner saw and allowed runs now.
    if (this.info.granted || !this.info.needed) pending.run();
  }

  cancel(): void {
    this.pending = null;
    this.error = '';
  }
}
