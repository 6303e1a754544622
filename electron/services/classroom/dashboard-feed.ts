// The hub side of electron/api/dashboard-update.ts: numbers each `classroom.changed` and sends
// only the rows that differ from the last update sent. A whole dashboard goes out first, after
// any call returned one (the caller's copy may be newer than the last update, so a row changed
// and changed back in between would never be sent to it), and when the QR code changes.
import { randomUUID } from 'node:crypto';
import type { ClassDashboard } from '../../api/contract';
import type { ClassDashboardUpdate, DashboardVersion } from '../../api/dashboard-update';

type Unversioned = Omit<ClassDashboard, 'version'>;

export class DashboardFeed {
  readonly #feed = randomUUID();
  #seq = 0;
  /** Each row as last sent, as JSON: comparing strings of one row is cheap, and exact. */
  #sent = new Map<string, string>();
  #qrSvg: string | null = null;
  #wholeNext = true;

  /** The update for what the dashboard is now. */
  next(dashboard: Unversioned): ClassDashboardUpdate {
    const version = { feed: this.#feed, seq: ++this.#seq };
    const rows = new Map(dashboard.learners.map((l) => [l.id, JSON.stringify(l)]));
    const whole = this.#wholeNext || dashboard.qrSvg !== this.#qrSvg;
    const changed = whole ? [] : dashboard.learners.filter((l) => this.#sent.get(l.id) !== rows.get(l.id));
    this.#sent = rows;
    this.#qrSvg = dashboard.qrSvg;
    this.#wholeNext = false;
    if (whole) return { version, full: { ...dashboard, version } };
    const { learners, qrSvg: _qr, ...header } = dashboard;
    return { version, delta: { header, learnerIds: learners.map((l) => l.id), rows: changed } };
  }

  /** A whole dashboard for a caller, stamped with the last update sent; the next update is whole. */
  snapshot(dashboard: Unversioned): ClassDashboard {
    this.#wholeNext = true;
    return { ...dashboard, version: this.version() };
  }

  version(): DashboardVersion {
    return { feed: this.#feed, seq: this.#seq };
  }
}
