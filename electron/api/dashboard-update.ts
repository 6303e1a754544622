// The instructor's dashboard on the wire. A room of 100 learners × 70 checkpoints is a
// large object; during a burst (a whole room passing one checkpoint) a page that parsed and
// compared all of it every 200 ms dropped frames (bench: class-dashboard). So the event sends
// the whole dashboard once, then only the rows that changed, each update numbered. A page that
// sees a gap in the numbers, or a delta before any whole dashboard, asks for the whole one again.
import type { ClassDashboard, ClassLearnerRow } from './contract';

/** Which run of the service made a dashboard and the last update sent before it. */
export interface DashboardVersion {
  /** Random per service: numbers from another run (a restarted app) mean nothing here. */
  feed: string;
  seq: number;
}

/** Everything but the rows and the QR code (which only changes with a new class, sent whole). */
export type DashboardHeader = Omit<ClassDashboard, 'learners' | 'qrSvg' | 'version'>;

export type ClassDashboardUpdate =
  | { version: DashboardVersion; full: ClassDashboard }
  | { version: DashboardVersion; delta: { header: DashboardHeader; learnerIds: string[]; rows: ClassLearnerRow[] } };

/**
 * The dashboard after `update`, or null when the page is out of step and must ask for the whole
 * dashboard (`classroom.dashboard`). An update older than what the page shows leaves it as it is.
 * Rows the update does not carry keep their objects, so a keyed list leaves them alone.
 */
export function applyDashboardUpdate(current: ClassDashboard | null, update: ClassDashboardUpdate): ClassDashboard | null {
  const sameFeed = current !== null && current.version.feed === update.version.feed;
  if ('full' in update) {
    if (sameFeed && update.version.seq <= current.version.seq) return current;
    return { ...update.full, version: update.version };
  }
  if (!sameFeed) return null;
  if (update.version.seq <= current.version.seq) return current;
  if (update.version.seq !== current.version.seq + 1) return null;
  const before = new Map(current.learners.map((l) => [l.id, l]));
  const changed = new Map(update.delta.rows.map((l) => [l.id, l]));
  const learners: ClassLearnerRow[] = [];
  for (const id of update.delta.learnerIds) {
    const row = changed.get(id) ?? before.get(id);
    if (!row) return null;
    learners.push(row);
  }
  return { ...update.delta.header, qrSvg: current.qrSvg, learners, version: update.version };
}

/** Whether a dashboard a call returned is older than the one shown (an event got there first). */
export function olderThan(candidate: ClassDashboard, shown: ClassDashboard | null): boolean {
  return shown !== null && shown.version.feed === candidate.version.feed && candidate.version.seq < shown.version.seq;
}
