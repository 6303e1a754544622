// The classroom's screen state, apart from the components: the instructor's dashboard (kept
// current by `classroom.changed`) and the learner's class (kept current by `classroom.learner`,
// with the instructor's broadcast and lesson prompt). Both take the API, so tests drive them
// with a fake one and no DOM.
import type { ClassDashboard, ClassLearnerState, ClassLessonRef, ClassShareEvent, ClassShareView, LabApi } from '../../../electron/api/contract';
import type { Locale } from '../../../electron/api/types';
import { applyDashboardUpdate, olderThan, type ClassDashboardUpdate } from '../../../electron/api/dashboard-update';
import { reuseUnchanged } from './classroom';
import { errorMessage } from './errors';

type Api = Pick<LabApi, 'call' | 'on'>;

export class DashboardState {
  /** Raw (not deeply proxied): each event's rows are plain objects, unchanged ones kept by reuseUnchanged. */
  dash = $state.raw<ClassDashboard | null>(null);
  error = $state('');
  /** The last export, for the browser's download link. */
  exported = $state<{ file: string; csv: string } | null>(null);
  /** The last printable report (HTML), for the browser's download link. */
  exportedReport = $state<{ file: string; html: string } | null>(null);
  broadcastSent = $state(false);
  /** The learner's shared terminal open in the viewer: what it showed when opened (its output then streams to the viewer). */
  share = $state.raw<ClassShareView | null>(null);
  /** The learner whose share is open or opening: its events are kept until the viewer takes them. */
  #shareLearner: string | null = null;
  #shareQueue: ClassShareEvent[] = [];
  #shareListener: ((event: ClassShareEvent) => void) | null = null;

  constructor(private readonly api: Api) {}

  /** Opens a learner's shared terminal, read-only; one at a time. */
  async openShare(learnerId: string): Promise<void> {
    this.error = '';
    this.share = null;
    this.#shareLearner = learnerId;
    this.#shareQueue = [];
    try {
      const view = await this.api.call('classroom.openShare', { learnerId });
      if (this.#shareLearner === learnerId) this.share = view;
    } catch (err) {
      if (this.#shareLearner === learnerId) this.#shareLearner = null;
      this.error = errorMessage(err);
    }
  }

  async closeShare(): Promise<void> {
    this.share = null;
    this.#shareLearner = null;
    this.#shareQueue = [];
    await this.api.call('classroom.closeShare', {}).catch(() => undefined);
  }

  /**
   * The viewer takes the open share's events: those that came while it mounted first, in order.
   * Returns the function that lets go.
   */
  attachShareView(listener: (event: ClassShareEvent) => void): () => void {
    this.#shareListener = listener;
    for (const event of this.#shareQueue.splice(0)) listener(event);
    return () => {
      if (this.#shareListener === listener) this.#shareListener = null;
    };
  }

  #onShareEvent(event: ClassShareEvent): void {
    if (event.learnerId !== this.#shareLearner) return;
    if (this.#shareListener && this.share) this.#shareListener(event);
    else this.#shareQueue.push(event);
  }

  /** Subscribes and loads; the returned function unsubscribes. */
  start(): () => void {
    const offs = [this.api.on('classroom.changed', (u) => this.#onUpdate(u)), this.api.on('classroom.shareOutput', (e) => this.#onShareEvent(e))];
    void this.run(() => this.api.call('classroom.dashboard', {}));
    return () => offs.forEach((off) => off());
  }

  /** Stuck "no progress" signals move with the clock: the dashboard asks again now and then. */
  refresh(): Promise<void> {
    return this.run(() => this.api.call('classroom.dashboard', {}));
  }

  host(address: string): Promise<void> {
    return this.run(() => this.api.call('classroom.host', { address }));
  }
  stop(): Promise<void> {
    return this.run(() => this.api.call('classroom.stopHosting', {}));
  }
  setLesson(lessonId: string, locale: Locale): Promise<void> {
    return this.run(() => this.api.call('classroom.setLesson', { lessonId, locale }));
  }
  setStuckMinutes(minutes: number): Promise<void> {
    return this.run(() => this.api.call('classroom.setStuckMinutes', { minutes }));
  }

  async broadcast(text: string): Promise<boolean> {
    this.error = '';
    this.broadcastSent = false;
    try {
      await this.api.call('classroom.broadcast', { text });
      this.broadcastSent = true;
      return true;
    } catch (err) {
      this.error = errorMessage(err);
      return false;
    }
  }

  /** Offers a lesson folder or an image pack; `path` in browser mode, the app's own dialog otherwise. */
  offer(kind: 'lesson-folder' | 'image-pack', path?: string): Promise<void> {
    return this.run(() => this.api.call('classroom.offer', { kind, ...(path ? { path } : {}) }));
  }

  /** Withdraws an offer: learners who have not fetched it can no longer. */
  withdrawOffer(offerId: string): Promise<void> {
    return this.run(() => this.api.call('classroom.withdrawOffer', { offerId }));
  }

  async exportCsv(): Promise<void> {
    this.error = '';
    try {
      this.exported = await this.api.call('classroom.exportCsv', {});
    } catch (err) {
      this.error = errorMessage(err);
    }
  }

  async exportReport(locale: Locale): Promise<void> {
    this.error = '';
    try {
      this.exportedReport = await this.api.call('classroom.exportReport', { locale });
    } catch (err) {
      this.error = errorMessage(err);
    }
  }

  /** A dashboard a call returned: shown unless an event already brought a newer one. */
  private show(d: ClassDashboard): void {
    if (!olderThan(d, this.dash)) this.dash = reuseUnchanged(this.dash, d);
  }

  /** Rows that did not change keep their objects; out of step (a missed update), the page asks for the whole dashboard. */
  #onUpdate(update: ClassDashboardUpdate): void {
    const next = applyDashboardUpdate(this.dash, update);
    if (next === null) void this.refresh();
    // The columns and summary too keep their objects when equal: the grid's rows read the columns.
    else if (next !== this.dash) this.dash = reuseUnchanged(this.dash, next);
  }

  private async run(call: () => Promise<ClassDashboard>): Promise<void> {
    this.error = '';
    try {
      this.show(await call());
    } catch (err) {
      this.error = errorMessage(err);
    }
  }
}

export class LearnerClassState {
  state = $state<ClassLearnerState | null>(null);
  /** The prompt the learner set aside ("Not now"); a new prompt shows again. */
  dismissedPrompt = $state<string | null>(null);
  /** The learner closed the bar after leaving. */
  hidden = $state(false);
  error = $state('');

  constructor(private readonly api: Api) {}

  start(): () => void {
    const offs = [
      this.api.on('classroom.learner', (s) => this.set(s)),
      this.api.on('classroom.lessonPrompt', () => (this.dismissedPrompt = null)),
    ];
    void this.api.call('classroom.learnerState', {}).then((s) => this.set(s), () => undefined);
    return () => offs.forEach((off) => off());
  }

  /** The prompt to show: the instructor's suggestion, unless set aside. */
  get prompt(): ClassLessonRef | null {
    const p = this.state?.lessonPrompt ?? null;
    return p && p.lessonId !== this.dismissedPrompt ? p : null;
  }

  get visible(): boolean {
    return !!this.state && this.state.state !== 'none' && !this.hidden;
  }

  set(s: ClassLearnerState): void {
    if (s.state !== 'left' && s.state !== 'refused') this.hidden = false;
    this.state = s;
  }

  dismissPrompt(): void {
    this.dismissedPrompt = this.state?.lessonPrompt?.lessonId ?? null;
  }

  async hand(raised: boolean): Promise<void> {
    await this.act(() => this.api.call('classroom.hand', { raised }));
  }

  async leave(): Promise<void> {
    await this.act(() => this.api.call('classroom.leave', {}));
  }

  /** Shares one of this page's terminals with the instructor, read-only. */
  async share(terminalId: string): Promise<void> {
    await this.act(() => this.api.call('classroom.shareTerminal', { terminalId }));
  }

  async stopSharing(): Promise<void> {
    await this.act(() => this.api.call('classroom.stopSharing', {}));
  }

  /** The offer the learner opened to review (nothing is downloaded by opening it). */
  reviewing = $state<string | null>(null);

  /** The learner's click: download, verify, then add the lessons or import the pack. */
  async acceptOffer(offerId: string): Promise<void> {
    this.reviewing = null;
    await this.act(() => this.api.call('classroom.acceptOffer', { offerId }));
  }

  async declineOffer(offerId: string): Promise<void> {
    this.reviewing = null;
    await this.act(() => this.api.call('classroom.declineOffer', { offerId }));
  }

  private async act(call: () => Promise<ClassLearnerState>): Promise<void> {
    this.error = '';
    try {
      this.set(await call());
    } catch (err) {
      this.error = errorMessage(err);
    }
  }
}
