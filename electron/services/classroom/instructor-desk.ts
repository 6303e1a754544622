// The instructor's desk: the class this app hosts (ClassroomService's hosting side). It starts
// and stops the hub, announces it and draws its QR code, builds the dashboard (whole for a caller,
// then at most one numbered delta every DASHBOARD_EVENT_INTERVAL_MS), sets the class lesson,
// broadcasts, tunes the stuck minutes, writes the CSV and HTML reports, offers content, and opens
// one learner's shared terminal at a time for the caller that asked (its output goes there only).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClassDashboard, ClassShareView, EventSink } from '../../api/contract';
import { LabError } from '../../api/errors';
import type { Locale, Localized } from '../../api/types';
import { readPackManifest } from '../docker/image-pack';
import { joinHosts } from './classroom-cli';
import { ClassroomHub, type HubLimits, type LearnerView } from './classroom-hub';
import { announceClass, type ClassAnnouncement, type MdnsOptions } from './discovery';
import { checkpointSummary, DEFAULT_STUCK_POLICY } from './class-record';
import { describeListenHost, formatHostPort, parseTypedAddress } from './hub-address';
import { joinPayload, joinQrSvg } from './join-qr';
import { classReportHtml } from './class-report-html';
import { DashboardFeed } from './dashboard-feed';
import { throttle, type Throttled } from './event-throttle';

/** The dashboard event carries the whole class: at most one per this many ms (bench: class-dashboard). */
export const DASHBOARD_EVENT_INTERVAL_MS = 200;

/** What the classroom needs to know about a lesson: its title and its checkpoints, in order. */
export interface LessonLookup {
  (lessonId: string): { title: Localized; checkpoints: { id: string; title: Localized }[] } | undefined;
}

/** What the hosting side needs of ClassroomServiceOptions. */
export interface InstructorDeskOptions {
  dataDir: string;
  sink: EventSink;
  lessons: LessonLookup;
  now?: () => number;
  /** For the reach warning; injectable so tests word it on any machine. */
  interfaces?: Parameters<typeof describeListenHost>[1];
  /** How the hub announces itself over mDNS (tests: their own port), or false not to. */
  announce?: MdnsOptions | false;
  /** The desktop app's own dialog for what to offer (undefined: cancelled); without it the page names the path. */
  chooseOffer?: (kind: 'lesson-folder' | 'image-pack') => Promise<string | undefined>;
  /** The hub's limits (the scale bench raises maxLearners to find how far a room goes). */
  hubLimits?: Partial<HubLimits>;
}

export class InstructorDesk {
  private hub: ClassroomHub | null = null;
  /** The hosted class's QR code (address + full code) and its mDNS announcement, if any. */
  private qrSvg: string | null = null;
  private announcement: ClassAnnouncement | undefined;
  private announceProblem: string | null = null;
  private stuckMinutes = DEFAULT_STUCK_POLICY.noProgressMs / 60_000;
  private dashboardEvents: Throttled | null = null;
  /** Numbers the dashboard events and sends only the rows that changed. */
  private readonly dashboardFeed = new DashboardFeed();
  /** The learner share the instructor has open, and the caller (window, connection) it shows in. */
  private viewer: { learnerId: string; caller: string | undefined } | null = null;
  private readonly now: () => number;

  constructor(private readonly opts: InstructorDeskOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** The class this app hosts, if any (browser mode's `--classroom` prints its banner). */
  get hostedHub(): ClassroomHub | null {
    return this.hub;
  }

  /** `announce: false` hosts without announcing the class on the network (`--no-announce`). */
  async host(addressText: string, { announce = true }: { announce?: boolean } = {}): Promise<ClassDashboard> {
    if (this.hub) throw new LabError(`Already hosting a class on ${formatHostPort(this.hub.address)}. Stop hosting first to move it.`, 'invalid');
    const address = parseTypedAddress(addressText);
    try {
      this.hub = await ClassroomHub.start({ ...address, dataDir: join(this.opts.dataDir, 'classroom'), now: this.now, stuckPolicy: this.policy(), ...(this.opts.hubLimits ? { limits: this.opts.hubLimits } : {}) });
    } catch (err) {
      throw new LabError((err as Error).message, 'invalid');
    }
    // A lone change goes out on the next turn; a room passing a checkpoint together gets at most
    // one dashboard per DASHBOARD_EVENT_INTERVAL_MS, each with the latest state of everyone.
    this.dashboardEvents = throttle(() => {
      if (this.hub) this.emitDashboard();
    }, DASHBOARD_EVENT_INTERVAL_MS);
    const changed = (): void => this.dashboardEvents?.request();
    for (const event of ['learner-joined', 'learner-updated', 'learner-left', 'learner-disconnected'] as const) this.hub.on(event, changed);
    const hub = this.hub;
    // A share's output goes to the instructor's open viewer only (the transport routes it to that caller).
    hub.on('share', (event) => {
      if (this.hub === hub && this.viewer?.learnerId === event.learnerId) this.opts.sink.emit('classroom.shareOutput', event);
    });
    // The QR code names an address a learner can reach: the one typed, or this machine's first for 0.0.0.0.
    const joinHost = joinHosts(hub, this.opts.interfaces as Parameters<typeof joinHosts>[1] | undefined)[0];
    this.qrSvg = joinHost ? await joinQrSvg(joinPayload({ host: joinHost, port: hub.address.port }, hub.fullCode)) : null;
    this.announceProblem = null;
    if (announce && this.opts.announce !== false) {
      // Best effort: a network without multicast still has the code, the address and the QR code.
      const onWarning = (err: Error): void => {
        this.announceProblem ??= err.message;
      };
      try {
        this.announcement = announceClass({ address: hub.address, fingerprint: hub.fingerprint, className: hub.classRecord().className }, { ...this.opts.announce, onWarning, stopWith: hub });
      } catch (err) {
        onWarning(err as Error);
      }
    }
    // A dashboard already open (another window, a page opened before the class) shows it at once.
    this.emitDashboard();
    return this.dashboard();
  }

  /** Offers a lesson folder or an image pack to the class: a notice only, until a learner accepts. */
  async offer(kind: 'lesson-folder' | 'image-pack', given: string | undefined): Promise<ClassDashboard> {
    const hub = this.requireHub();
    let path = given;
    if (this.opts.chooseOffer) {
      if (given !== undefined) throw new LabError('In the desktop app, what to offer is chosen in its own dialog.', 'bad-request');
      path = await this.opts.chooseOffer(kind);
      if (!path) return this.dashboard();
    }
    if (!path) throw new LabError(kind === 'image-pack' ? 'Give the path of the image pack file.' : 'Give the path of the lesson folder.', 'invalid');
    try {
      if (kind === 'image-pack') {
        // Only a readable NetLab pack is offered; each learner's import verifies it again.
        await readPackManifest(path);
        await hub.offerImagePack(path);
      } else {
        await hub.offerLessonFolder(path);
      }
    } catch (err) {
      throw new LabError((err as Error).message, 'invalid');
    }
    return this.dashboard();
  }

  /** Withdraws an offer of this class. */
  async withdrawOffer(offerId: string): Promise<ClassDashboard> {
    if (!(await this.requireHub().withdrawOffer(offerId))) throw new LabError('There is no such offer in this class (it was withdrawn, or the hub restarted).', 'not-found');
    return this.dashboard();
  }

  async stopHosting(): Promise<ClassDashboard> {
    const hub = this.hub;
    this.hub = null;
    this.qrSvg = null;
    this.viewer = null;
    this.dashboardEvents?.cancel();
    this.dashboardEvents = null;
    // The goodbye goes out before the hub closes, so learners' lists drop the class at once.
    await this.announcement?.stop();
    this.announcement = undefined;
    await hub?.stop();
    return this.dashboard();
  }

  /** The whole dashboard for a caller: a page applies later `classroom.changed` deltas to it. */
  dashboard(): ClassDashboard {
    return this.dashboardFeed.snapshot(this.buildDashboard());
  }

  private emitDashboard(): void {
    this.opts.sink.emit('classroom.changed', this.dashboardFeed.next(this.buildDashboard()));
  }

  private buildDashboard(): Omit<ClassDashboard, 'version'> {
    const hub = this.hub;
    if (!hub) {
      return { hosting: false, address: null, reach: null, shortCode: null, fullCode: null, fingerprint: null, qrSvg: null, announced: false, warning: null, stuckMinutes: this.stuckMinutes, lesson: null, checkpoints: [], learners: [], summary: [], offers: [] };
    }
    const record = hub.classRecord();
    const lesson = record.currentLesson;
    const info = lesson ? this.opts.lessons(lesson.lessonId) : undefined;
    // From the record already copied: hub.summary() would copy the whole class again.
    const summary = lesson ? checkpointSummary(record, lesson.lessonId) : [];
    const columns = gridColumns(info, summary);
    return {
      hosting: true,
      address: formatHostPort(hub.address),
      reach: describeListenHost(hub.address.host, this.opts.interfaces),
      shortCode: hub.shortCode,
      fullCode: hub.fullCode,
      fingerprint: hub.fingerprintText,
      qrSvg: this.qrSvg,
      announced: this.announcement !== undefined && this.announceProblem === null,
      warning: hub.warning ?? null,
      stuckMinutes: this.stuckMinutes,
      lesson,
      checkpoints: columns,
      learners: hub.learnerViews().map((l) => row(l, lesson?.lessonId ?? null)),
      summary,
      offers: hub.offers(),
    };
  }

  setLesson(lessonId: string, locale: Locale): ClassDashboard {
    const hub = this.requireHub();
    const info = this.opts.lessons(lessonId);
    if (!info) throw new LabError(`There is no lesson "${lessonId}" in this app's course.`, 'not-found');
    const title = (info.title[locale] ?? info.title.en ?? lessonId).slice(0, 120) || lessonId;
    hub.setLesson({ lessonId, title });
    return this.dashboard();
  }

  broadcast(text: string): void {
    this.requireHub().broadcast(text);
  }

  setStuckMinutes(minutes: number): ClassDashboard {
    this.stuckMinutes = minutes;
    this.hub?.setStuckPolicy(this.policy());
    return this.dashboard();
  }

  /** The CSV of the class's current lesson, written under <dataDir>/reports/. */
  async exportCsv(): Promise<{ file: string; csv: string }> {
    const hub = this.requireHub();
    const lessonId = hub.classRecord().currentLesson?.lessonId;
    if (!lessonId) throw new LabError('Set the class lesson first: the report lists its checkpoints.', 'invalid');
    const csv = hub.reportCsv(lessonId);
    const file = await this.writeReport(`class-${lessonId}`, 'csv', csv);
    return { file, csv };
  }

  /** The printable class report (HTML) of the current lesson, in `locale`, written under <dataDir>/reports/. */
  async exportReport(locale: Locale): Promise<{ file: string; html: string }> {
    const hub = this.requireHub();
    const record = hub.classRecord();
    const lesson = record.currentLesson;
    if (!lesson) throw new LabError('Set the class lesson first: the report lists its checkpoints.', 'invalid');
    const info = this.opts.lessons(lesson.lessonId);
    const checkpoints = gridColumns(info, checkpointSummary(record, lesson.lessonId)).map((c) => ({ id: c.id, title: c.title ? c.title[locale] || c.title.en || c.id : c.id }));
    const lessonTitle = info ? info.title[locale] || info.title.en || lesson.title : lesson.title;
    const html = classReportHtml({ record, lessonId: lesson.lessonId, lessonTitle, checkpoints, locale, now: this.now(), policy: this.policy() });
    const file = await this.writeReport(`class-${lesson.lessonId}`, 'html', html);
    return { file, html };
  }

  private async writeReport(base: string, ext: string, text: string): Promise<string> {
    const dir = join(this.opts.dataDir, 'reports');
    await mkdir(dir, { recursive: true });
    const stamp = new Date(this.now()).toISOString().replace(/[:.]/g, '-');
    const file = join(dir, `${base}-${stamp}.${ext}`);
    await writeFile(file, text, { mode: 0o600 });
    return file;
  }

  /** Opens a learner's shared terminal for this caller: its recent output now, the rest as it comes. */
  openShare(learnerId: string, caller: string | undefined): ClassShareView {
    const hub = this.requireHub();
    const backlog = hub.shareBacklog(learnerId);
    const learner = hub.learnerViews().find((l) => l.id === learnerId);
    if (!backlog || !learner) throw new LabError('This learner is not sharing a terminal now.', 'not-found');
    this.viewer = { learnerId, caller };
    return { learnerId, name: learner.name, ...backlog };
  }

  closeShare(): void {
    this.viewer = null;
  }

  /** Where a share's output goes: the caller that opened it (undefined: nowhere). */
  shareViewer(): string | undefined {
    return this.viewer?.caller;
  }

  /** A caller (window, connection) left: the share viewer it held closes. */
  disconnect(caller: string): void {
    if (this.viewer?.caller === caller) this.viewer = null;
  }

  private requireHub(): ClassroomHub {
    if (!this.hub) throw new LabError('Host a class first.', 'invalid');
    return this.hub;
  }

  private policy(): typeof DEFAULT_STUCK_POLICY {
    return { ...DEFAULT_STUCK_POLICY, noProgressMs: this.stuckMinutes * 60_000 };
  }
}

/**
 * The grid's columns: the lesson's own checkpoints first, in lesson order; then any a learner
 * reports that the instructor's copy lacks (another version of the lesson), so nothing is hidden.
 */
function gridColumns(info: ReturnType<LessonLookup>, summary: { checkpointId: string }[]): ClassDashboard['checkpoints'] {
  const columns: ClassDashboard['checkpoints'] = info ? info.checkpoints.map((c) => ({ id: c.id, title: { ...c.title } })) : [];
  const seen = new Set(columns.map((c) => c.id));
  for (const s of summary) if (!seen.has(s.checkpointId)) {
    seen.add(s.checkpointId);
    columns.push({ id: s.checkpointId, title: null });
  }
  return columns;
}

function row(l: LearnerView, lessonId: string | null): ClassDashboard['learners'][number] {
  const onLesson = lessonId !== null && l.lessonId === lessonId;
  return {
    id: l.id,
    name: l.name,
    connected: l.connected,
    left: l.left,
    lessonId: l.lessonId,
    stepId: l.stepId,
    secondsOnStep: l.secondsOnStep,
    handRaised: l.stuck.handRaised,
    stuck: { ...l.stuck },
    cells: onLesson ? structuredClone(l.checkpoints) : {},
    sharing: l.sharing ? { ...l.sharing } : null,
  };
}
