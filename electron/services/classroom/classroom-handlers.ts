// The contract's classroom methods: the instructor's hub (host, dashboard, lesson prompt,
// broadcast, stuck minutes, CSV) and the learner's side (preview what is shared, join, hand,
// leave). One app hosts or joins at a time per role. The learner's feed follows the app's
// checkpoint and step events from start-up, but nothing is sent before the learner joins.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClassDashboard, ClassLearnerState, ClassSharePreview, EventSink, MethodInput } from '../../api/contract';
import { LabError } from '../../api/errors';
import type { Locale, Localized } from '../../api/types';
import { joinHosts } from './classroom-cli';
import { ClassroomHub, type HubLimits, type LearnerView } from './classroom-hub';
import { announceClass, type ClassAnnouncement, type MdnsOptions } from './discovery';
import { checkpointSummary, DEFAULT_STUCK_POLICY } from './class-record';
import { describeListenHost, formatHostPort, parseHostPort, type HubAddress } from './hub-address';
import { fingerprintForHumans, parseJoinCode } from './join-code';
import { joinPayload, joinQrSvg } from './join-qr';
import { LearnerClient, probeHubFingerprint, type LearnerClientOptions } from './learner-client';
import { LearnerClassStore } from './learner-store';
import { LearnerProgressFeed } from './learner-feed';
import { LearnerSession } from './learner-session';
import { classReportHtml } from './class-report-html';
import { throttle, type Throttled } from './event-throttle';

/** The dashboard event carries the whole class: at most one per this many ms (bench: class-dashboard). */
export const DASHBOARD_EVENT_INTERVAL_MS = 200;

/** What the classroom needs to know about a lesson: its title and its checkpoints, in order. */
export interface LessonLookup {
  (lessonId: string): { title: Localized; checkpoints: { id: string; title: Localized }[] } | undefined;
}

export interface ClassroomServiceOptions {
  dataDir: string;
  sink: EventSink;
  lessons: LessonLookup;
  locale?: Locale;
  now?: () => number;
  /** For the reach warning; injectable so tests word it on any machine. */
  interfaces?: Parameters<typeof describeListenHost>[1];
  /** Extra options for the learner's client (tests inject timers). */
  clientOptions?: Partial<LearnerClientOptions>;
  /** How the hub announces itself over mDNS (tests: their own port), or false not to. */
  announce?: MdnsOptions | false;
  /** The hub's limits (the scale bench raises maxLearners to find how far a room goes). */
  hubLimits?: Partial<HubLimits>;
}

interface Joined {
  client: LearnerClient;
  address: HubAddress;
  name: string;
  className: string | null;
  stopReason: string | null;
  lessonPrompt: { lessonId: string; title: string } | null;
  broadcast: string | null;
  handRaised: boolean;
}

export class ClassroomService {
  private hub: ClassroomHub | null = null;
  /** The hosted class's QR code (address + full code) and its mDNS announcement, if any. */
  private qrSvg: string | null = null;
  private announcement: ClassAnnouncement | undefined;
  private announceProblem: string | null = null;
  private stuckMinutes = DEFAULT_STUCK_POLICY.noProgressMs / 60_000;
  private dashboardEvents: Throttled | null = null;
  private joined: Joined | null = null;
  /** Fed from start-up so the preview shows the real state; sent only through a joined session. */
  private readonly feed: LearnerProgressFeed;
  private readonly session: LearnerSession;
  private readonly now: () => number;
  /** The joined class and the learner's own token, so a restarted app rejoins by itself. */
  private readonly store: LearnerClassStore;
  private saving: Promise<void> = Promise.resolve();

  constructor(private readonly opts: ClassroomServiceOptions) {
    this.now = opts.now ?? Date.now;
    this.store = new LearnerClassStore(join(opts.dataDir, 'classroom-learner.json'));
    this.feed = new LearnerProgressFeed(opts.locale ?? 'en', this.now);
    // The session's snapshots reach the hub only through a client that is in a class.
    this.session = new LearnerSession({ updateProgress: (snap) => this.joined?.client.updateProgress(snap) ?? false }, this.feed);
  }

  // ------------------------------------------------------------ instructor

  async host(addressText: string): Promise<ClassDashboard> {
    if (this.hub) throw new LabError(`Already hosting a class on ${formatHostPort(this.hub.address)}. Stop hosting first to move it.`, 'invalid');
    const address = parse(addressText);
    try {
      this.hub = await ClassroomHub.start({ ...address, dataDir: join(this.opts.dataDir, 'classroom'), now: this.now, stuckPolicy: this.policy(), ...(this.opts.hubLimits ? { limits: this.opts.hubLimits } : {}) });
    } catch (err) {
      throw new LabError((err as Error).message, 'invalid');
    }
    // A lone change goes out on the next turn; a room passing a checkpoint together gets at most
    // one dashboard per DASHBOARD_EVENT_INTERVAL_MS, each with the latest state of everyone.
    this.dashboardEvents = throttle(() => {
      if (this.hub) this.opts.sink.emit('classroom.changed', this.dashboard());
    }, DASHBOARD_EVENT_INTERVAL_MS);
    const changed = (): void => this.dashboardEvents?.request();
    for (const event of ['learner-joined', 'learner-updated', 'learner-left', 'learner-disconnected'] as const) this.hub.on(event, changed);
    const hub = this.hub;
    // The QR code names an address a learner can reach: the one typed, or this machine's first for 0.0.0.0.
    const joinHost = joinHosts(hub, this.opts.interfaces as Parameters<typeof joinHosts>[1] | undefined)[0];
    this.qrSvg = joinHost ? await joinQrSvg(joinPayload({ host: joinHost, port: hub.address.port }, hub.fullCode)) : null;
    this.announceProblem = null;
    if (this.opts.announce !== false) {
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
    return this.dashboard();
  }

  async stopHosting(): Promise<ClassDashboard> {
    const hub = this.hub;
    this.hub = null;
    this.qrSvg = null;
    this.dashboardEvents?.cancel();
    this.dashboardEvents = null;
    // The goodbye goes out before the hub closes, so learners' lists drop the class at once.
    await this.announcement?.stop();
    this.announcement = undefined;
    await hub?.stop();
    return this.dashboard();
  }

  dashboard(): ClassDashboard {
    const hub = this.hub;
    if (!hub) {
      return { hosting: false, address: null, reach: null, shortCode: null, fullCode: null, fingerprint: null, qrSvg: null, announced: false, warning: null, stuckMinutes: this.stuckMinutes, lesson: null, checkpoints: [], learners: [], summary: [] };
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

  // ------------------------------------------------------------ learner

  /** Exactly what joining would send now; nothing leaves the machine. */
  sharePreview(name: string, locale?: Locale): ClassSharePreview {
    if (locale) this.feed.setLocale(locale);
    return { name, progress: this.feed.snapshot() };
  }

  /** Joining is the learner's explicit act; the full code pins the hub's certificate. */
  join(input: MethodInput<'classroom.join'>): ClassLearnerState {
    if (this.joined && this.joined.client.state !== 'left' && this.joined.client.state !== 'refused') {
      throw new LabError('You are already in a class: leave it first.', 'invalid');
    }
    const address = parse(input.address);
    if (input.locale) this.feed.setLocale(input.locale);
    let code;
    try {
      code = parseJoinCode(input.code);
    } catch (err) {
      throw new LabError((err as Error).message, 'invalid');
    }
    const pin = input.pin ? Buffer.from(input.pin, 'hex') : null;
    if (code.fingerprint && pin && !code.fingerprint.equals(pin)) {
      throw new LabError('The fingerprint you compared is not the one in this join code. Check the code and the address with the instructor.', 'invalid');
    }
    const fingerprint = code.fingerprint ?? pin;
    if (!fingerprint) {
      throw new LabError('With the short code, first compare the hub fingerprint with the one the instructor shows (or paste the full join code): otherwise the app cannot tell the class hub from an impostor.', 'invalid');
    }
    return this.connect(address, fingerprint, input.name, { secret: code.secret });
  }

  /** The fingerprint of the hub at `address`, for the learner to compare before joining with a short code. */
  async probeHub(addressText: string): Promise<{ fingerprint: string; pin: string }> {
    const address = parse(addressText);
    try {
      const fp = await probeHubFingerprint(address);
      return { fingerprint: fingerprintForHumans(fp), pin: fp.toString('hex') };
    } catch (err) {
      throw new LabError((err as Error).message, 'unavailable');
    }
  }

  /**
   * Rejoins the class this app was in when it stopped (its saved token, not the code); nothing
   * when the learner had left. Returns a warning when the saved file was damaged and set aside.
   */
  async resume(): Promise<string | undefined> {
    const { joined, warning } = await this.store.load();
    if (joined && !this.joined) {
      try {
        this.connect({ host: joined.host, port: joined.port }, joined.fingerprint, joined.name, { credentials: { learnerId: joined.learnerId, token: joined.token } });
      } catch (err) {
        return (err as Error).message;
      }
    }
    return warning;
  }

  private connect(address: HubAddress, fingerprint: Buffer, name: string, auth: Pick<LearnerClientOptions, 'secret' | 'credentials'>): ClassLearnerState {
    let client: LearnerClient;
    try {
      client = new LearnerClient({ ...this.opts.clientOptions, ...address, fingerprint, ...auth, name });
    } catch (err) {
      throw new LabError((err as Error).message, 'invalid');
    }
    const joined: Joined = { client, address, name, className: null, stopReason: null, lessonPrompt: null, broadcast: null, handRaised: false };
    this.joined = joined;
    const changed = (): void => {
      if (this.joined === joined) this.opts.sink.emit('classroom.learner', this.learnerState());
    };
    client.on('state', changed);
    client.on('credentials', (c) => {
      // Kept for a restart; forgotten on leaving. A failed write costs only the automatic rejoin.
      this.saving = this.store.save(c ? { ...address, fingerprint, name, ...c } : null).catch(() => undefined);
    });
    client.on('joined', (j) => {
      joined.className = j.className;
      if (j.currentLesson) joined.lessonPrompt = j.currentLesson;
      changed();
      if (j.currentLesson) this.opts.sink.emit('classroom.lessonPrompt', j.currentLesson);
    });
    client.on('refused', (why) => {
      joined.stopReason = why;
      changed();
    });
    client.on('lesson-prompt', (lesson) => {
      joined.lessonPrompt = lesson;
      this.opts.sink.emit('classroom.lessonPrompt', lesson);
      changed();
    });
    client.on('broadcast', (text) => {
      joined.broadcast = text;
      this.opts.sink.emit('classroom.broadcast', { text });
      changed();
    });
    // The progress the learner already has goes out with the join (it was shown in the preview).
    const snap = this.feed.snapshot();
    if (snap) client.updateProgress(snap);
    client.start();
    return this.learnerState();
  }

  async leave(): Promise<ClassLearnerState> {
    await this.joined?.client.leave();
    return this.learnerState();
  }

  setHand(raised: boolean): ClassLearnerState {
    const joined = this.joined;
    if (!joined || !joined.client.setHand(raised)) throw new LabError('Join a class first.', 'invalid');
    joined.handRaised = raised;
    return this.learnerState();
  }

  learnerState(): ClassLearnerState {
    const j = this.joined;
    if (!j) return { state: 'none', address: null, name: null, className: null, handRaised: false, stopReason: null, lessonPrompt: null, broadcast: null };
    const left = j.client.state === 'left';
    return {
      state: j.client.state,
      address: formatHostPort(j.address),
      name: j.name,
      className: j.className,
      handRaised: !left && j.handRaised,
      stopReason: j.stopReason,
      lessonPrompt: left ? null : j.lessonPrompt,
      broadcast: left ? null : j.broadcast,
    };
  }

  // ------------------------------------------------------------ the app's events and calls

  /** Every event the app emits; the feed keeps only checkpoints and the coach's hint text. */
  onAppEvent(name: string, payload: unknown): void {
    this.session.onAppEvent(name, payload);
  }

  /** Every API call that succeeded: lesson opens and step changes move the feed. */
  onApiCall(method: string, input: unknown, result: unknown): void {
    this.session.onApiCall(method, input, result);
  }

  /** The app stops: the hub stops, and the learner's connection closes without leaving (a restart rejoins). */
  async dispose(): Promise<void> {
    this.joined?.client.close();
    await Promise.allSettled([this.stopHosting(), this.saving]);
  }

  private requireHub(): ClassroomHub {
    if (!this.hub) throw new LabError('Host a class first.', 'invalid');
    return this.hub;
  }

  private policy(): typeof DEFAULT_STUCK_POLICY {
    return { ...DEFAULT_STUCK_POLICY, noProgressMs: this.stuckMinutes * 60_000 };
  }
}

function parse(text: string): HubAddress {
  try {
    return parseHostPort(text);
  } catch (err) {
    throw new LabError((err as Error).message, 'invalid');
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
  };
}

export function createClassroomHandlers(classroom: ClassroomService) {
  async function hostClass({ address }: MethodInput<'classroom.host'>): Promise<ClassDashboard> {
    return classroom.host(address);
  }
  async function stopHosting(_input: MethodInput<'classroom.stopHosting'>): Promise<ClassDashboard> {
    return classroom.stopHosting();
  }
  async function dashboard(_input: MethodInput<'classroom.dashboard'>): Promise<ClassDashboard> {
    return classroom.dashboard();
  }
  async function setClassLesson({ lessonId, locale }: MethodInput<'classroom.setLesson'>): Promise<ClassDashboard> {
    return classroom.setLesson(lessonId, locale);
  }
  async function broadcast({ text }: MethodInput<'classroom.broadcast'>): Promise<void> {
    classroom.broadcast(text);
  }
  async function setStuckMinutes({ minutes }: MethodInput<'classroom.setStuckMinutes'>): Promise<ClassDashboard> {
    return classroom.setStuckMinutes(minutes);
  }
  async function exportCsv(_input: MethodInput<'classroom.exportCsv'>): Promise<{ file: string; csv: string }> {
    return classroom.exportCsv();
  }
  async function exportReport({ locale }: MethodInput<'classroom.exportReport'>): Promise<{ file: string; html: string }> {
    return classroom.exportReport(locale);
  }
  async function sharePreview({ name, locale }: MethodInput<'classroom.sharePreview'>): Promise<ClassSharePreview> {
    return classroom.sharePreview(name, locale);
  }
  async function probeHub({ address }: MethodInput<'classroom.probeHub'>): Promise<{ fingerprint: string; pin: string }> {
    return classroom.probeHub(address);
  }
  async function joinClass(input: MethodInput<'classroom.join'>): Promise<ClassLearnerState> {
    return classroom.join(input);
  }
  async function leaveClass(_input: MethodInput<'classroom.leave'>): Promise<ClassLearnerState> {
    return classroom.leave();
  }
  async function raiseHand({ raised }: MethodInput<'classroom.hand'>): Promise<ClassLearnerState> {
    return classroom.setHand(raised);
  }
  async function learnerState(_input: MethodInput<'classroom.learnerState'>): Promise<ClassLearnerState> {
    return classroom.learnerState();
  }
  return {
    'classroom.host': hostClass,
    'classroom.stopHosting': stopHosting,
    'classroom.dashboard': dashboard,
    'classroom.setLesson': setClassLesson,
    'classroom.broadcast': broadcast,
    'classroom.setStuckMinutes': setStuckMinutes,
    'classroom.exportCsv': exportCsv,
    'classroom.sharePreview': sharePreview,
    'classroom.probeHub': probeHub,
    'classroom.join': joinClass,
    'classroom.leave': leaveClass,
    'classroom.hand': raiseHand,
    'classroom.learnerState': learnerState,
    'classroom.exportReport': exportReport,
  };
}
