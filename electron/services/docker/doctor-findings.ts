// The lab doctor's latest findings, shared by the preflight (which runs it and
// shows them), the lab (which sets aside the steps this engine cannot do) and
// the problem report. A lab opened before any preflight asks for a run; a run
// that found nothing (the engine was down) is not kept, so the next ask runs again.
import type { DoctorFindings } from '../../api/types';

export class DoctorFindingsCache {
  private last: Promise<DoctorFindings | undefined> | undefined;

  constructor(private readonly examine: () => Promise<DoctorFindings | undefined>) {}

  /** Examines the engine anew (the preflight's "check again"); a lab opened meanwhile waits for this run. */
  refresh(): Promise<DoctorFindings | undefined> {
    this.last = undefined;
    return this.get();
  }

  /** The latest findings, or a fresh run's; undefined while the engine cannot be examined. */
  get(): Promise<DoctorFindings | undefined> {
    const run = (this.last ??= this.examine().then(
      (found) => {
        if (!found && this.last === run) this.last = undefined;
        return found;
      },
      () => {
        if (this.last === run) this.last = undefined;
        return undefined;
      },
    ));
    return run;
  }

  /** Findings already at hand, without starting a run (the problem report must not wait on probes). */
  peek(): Promise<DoctorFindings | undefined> | undefined {
    return this.last;
  }
}
