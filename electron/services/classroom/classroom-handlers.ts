// The contract's classroom methods: the instructor's hub (host, dashboard, lesson prompt,
// broadcast, stuck minutes, CSV) and the learner's side (preview what is shared, join, hand,
// leave). One app hosts or joins at a time per role. The learner's feed follows the app's
// checkpoint and step events from start-up, but nothing is sent before the learner joins.
// The read-only terminal share: a learner picks one of their own terminals, whose output the
// TerminalManager hands over here (main side, so no page can forge it); the instructor opens
// one learner's share at a time, and its output goes to that caller only.
// Offers of content (a lesson folder, an image pack) reach the learner as a notice only; the
// learner's accept downloads and verifies it, then hands it to the app's own doors: the lesson
// folder to lessons.addFolder (so the consent for an instructor's lesson applies before any of
// its commands run), the image pack to the verified import.
import { mkdir, rm, statfs, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CallContext, ClassDashboard, ClassLearnerOffer, ClassLearnerState, ClassNearby, ClassSharePreview, ClassShareView, EventSink, MethodInput } from '../../api/contract';
import { LabError } from '../../api/errors';
import type { AddFolderResult, ImagePackResult, Locale, Localized, TerminalInfo } from '../../api/types';
import { readPackManifest } from '../docker/image-pack';
import { fetchOffer } from './content-fetch';
import { LESSON_FOLDER_LIMITS, maxTarBytes, unpackLessonTar } from './content-pack';
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
import { NearbyClasses, type NearbyClassesOptions } from './nearby-classes';
import { ShareMarkFilter } from './share-mark-filter';
import { classReportHtml } from './class-report-html';
import { DashboardFeed } from './dashboard-feed';
import { throttle, type Throttled } from './event-throttle';

/** What a terminal share needs of the TerminalManager (terminal-manager.ts). */
export interface ShareableTerminals {
  list(): TerminalInfo[];
  ownerOf(id: string): string | undefined;
  sizeOf(id: string): { cols: number; rows: number } | undefined;
  onOutput(listener: (id: string, key: string, text: string) => void): () => void;
  onResize(listener: (id: string, cols: number, rows: number) => void): () => void;
  onExit(listener: (id: string) => void): () => void;
}

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
  /** Adds an accepted, unpacked lesson folder the way Settings does (lessons.addFolder). */
  addLessonFolder?: (dir: string) => Promise<AddFolderResult>;
  /** The verified image-pack import (images.importPack's own), for an accepted pack. */
  importImagePack?: (file: string, progressId?: string) => Promise<ImagePackResult>;
  /** The desktop app's own dialog for what to offer (undefined: cancelled); without it the page names the path. */
  chooseOffer?: (kind: 'lesson-folder' | 'image-pack') => Promise<string | undefined>;
  /** How the Join screen's list of classes listens (tests: their own mDNS port). */
  nearby?: NearbyClassesOptions;
  /** The hub's limits (the scale bench raises maxLearners to find how far a room goes). */
  hubLimits?: Partial<HubLimits>;
}

interface Joined {
  client: LearnerClient;
  address: HubAddress;
  fingerprint: Buffer;
  /** The instructor's offers, by id, while in the class. */
  offers: Map<string, ClassLearnerOffer>;
  name: string;
  className: string | null;
  stopReason: string | null;
  lessonPrompt: { lessonId: string; title: string } | null;
  broadcast: string | null;
  handRaised: boolean;
  /** The one terminal shared now: its output goes to the class, nothing else of it. */
  sharing: { terminalId: string; label: string } | null;
}

export class ClassroomService {
  private hub: ClassroomHub | null = null;
  /** The hosted class's QR code (address + full code) and its mDNS announcement, if any. */
  private qrSvg: string | null = null;
  private announcement: ClassAnnouncement | undefined;
  private announceProblem: string | null = null;
  private stuckMinutes = DEFAULT_STUCK_POLICY.noProgressMs / 60_000;
  private dashboardEvents: Throttled | null = null;
  /** Numbers the dashboard events and sends only the rows that changed. */
  private readonly dashboardFeed = new DashboardFeed();
  private joined: Joined | null = null;
  /** Fed from start-up so the preview shows the real state; sent only through a joined session. */
  private readonly feed: LearnerProgressFeed;
  private readonly session: LearnerSession;
  private readonly now: () => number;
  /** The joined class and the learner's own token, so a restarted app rejoins by itself. */
  private readonly store: LearnerClassStore;
  private saving: Promise<void> = Promise.resolve();
  private readonly nearbyClasses: NearbyClasses;
  private terminals: ShareableTerminals | null = null;
  /** The shared terminal's shell-integration marks (with their nonce) never leave. */
  private shareFilter = new ShareMarkFilter();
  /** The learner share the instructor has open, and the caller (window, connection) it shows in. */
  private viewer: { learnerId: string; caller: string | undefined } | null = null;

  constructor(private readonly opts: ClassroomServiceOptions) {
    this.now = opts.now ?? Date.now;
    this.store = new LearnerClassStore(join(opts.dataDir, 'classroom-learner.json'));
    this.feed = new LearnerProgressFeed(opts.locale ?? 'en', this.now);
    this.nearbyClasses = new NearbyClasses(opts.nearby);
    // The session's snapshots reach the hub only through a client that is in a class.
    this.session = new LearnerSession({ updateProgress: (snap) => this.joined?.client.updateProgress(snap) ?? false }, this.feed);
  }

  /**
   * The app's terminals, once they exist: the shared one's output, size and end come from here.
   * Only the terminal the learner chose is read; the others' output is never looked at.
   */
  attachTerminals(terminals: ShareableTerminals): () => void {
    this.terminals = terminals;
    const offs = [
      terminals.onOutput((id, _key, text) => {
        const j = this.joined;
        if (j?.sharing?.terminalId === id) j.client.shareOutput(this.shareFilter.push(text));
      }),
      terminals.onResize((id, cols, rows) => {
        const j = this.joined;
        if (j?.sharing?.terminalId === id) j.client.resizeShare(cols, rows);
      }),
      terminals.onExit((id) => {
        if (this.joined?.sharing?.terminalId === id) this.stopSharing();
      }),
    ];
    return () => offs.forEach((off) => off());
  }

  // ------------------------------------------------------------ instructor

  /** The class this app hosts, if any (browser mode's `--classroom` prints its banner). */
  get hostedHub(): ClassroomHub | null {
    return this.hub;
  }

  /** `announce: false` hosts without announcing the class on the network (`--no-announce`). */
  async host(addressText: string, { announce = true }: { announce?: boolean } = {}): Promise<ClassDashboard> {
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

  /** A caller (window, connection) left: a share viewer it held closes. Its terminals close elsewhere, which stops a share of them. */
  disconnect(caller: string): void {
    if (this.viewer?.caller === caller) this.viewer = null;
  }

  // ------------------------------------------------------------ learner

  /**
   * Shares one of the caller's own terminals with the class, read-only: only its output leaves,
   * and nothing the hub sends reaches it. A new share replaces the previous one.
   */
  shareTerminal(terminalId: string, caller: string | undefined): ClassLearnerState {
    const joined = this.joined;
    if (!joined || !['connecting', 'joined', 'reconnecting'].includes(joined.client.state)) throw new LabError('Join a class first.', 'invalid');
    const terminal = this.terminals?.list().find((t) => t.id === terminalId && t.running);
    // Only a terminal this very page (or window) opened: another's shell is not the caller's to share.
    if (!terminal || this.terminals!.ownerOf(terminalId) !== caller) throw new LabError('There is no such terminal open here to share.', 'not-found');
    const size = this.terminals!.sizeOf(terminalId) ?? { cols: 80, rows: 24 };
    const label = terminal.key.slice(0, 60);
    this.shareFilter = new ShareMarkFilter();
    joined.client.startShare({ label, ...size });
    joined.sharing = { terminalId, label };
    this.opts.sink.emit('classroom.learner', this.learnerState());
    return this.learnerState();
  }

  /** Stops sharing at once: nothing more of the terminal is sent. */
  stopSharing(): ClassLearnerState {
    const joined = this.joined;
    if (joined?.sharing) {
      joined.client.stopShare();
      joined.sharing = null;
      this.opts.sink.emit('classroom.learner', this.learnerState());
    }
    return this.learnerState();
  }

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

  /** The classes announced on this network, for the Join screen (which asks while it is open). */
  nearby(): ClassNearby {
    return this.nearbyClasses.list();
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
    const joined: Joined = { client, address, name, className: null, stopReason: null, lessonPrompt: null, broadcast: null, handRaised: false, sharing: null, fingerprint, offers: new Map() };
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
      // The client stopped for good, and its share with it.
      joined.sharing = null;
      changed();
    });
    client.on('lesson-prompt', (lesson) => {
      joined.lessonPrompt = lesson;
      this.opts.sink.emit('classroom.lessonPrompt', lesson);
      changed();
    });
    client.on('content-offer', (offer) => {
      // A notice only; a rejoin resends the offers, and one already known keeps its state.
      if (joined.offers.has(offer.offerId)) return;
      joined.offers.set(offer.offerId, { ...offer, status: 'offered', message: null, lessons: [] });
      while (joined.offers.size > MAX_LEARNER_OFFERS) joined.offers.delete(joined.offers.keys().next().value!);
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
    if (this.joined) this.joined.sharing = null;
    // Offers not accepted are discarded; nothing of them was downloaded.
    this.joined?.offers.clear();
    await this.joined?.client.leave();
    return this.learnerState();
  }

  /**
   * The learner accepted an offer: download it from the pinned hub with their own token, check its
   * size and SHA-256, then unpack a lesson folder (content-pack.ts refuses links, devices, `..`,
   * absolute paths and anything over the limits) into <dataDir>/class-content/<offerId>/ and add
   * it like a folder opened in Settings, or import an image pack through the verified import.
   * A refusal leaves nothing behind; the offer then says why.
   */
  async acceptOffer(offerId: string, progressId?: string): Promise<ClassLearnerState> {
    const joined = this.joined;
    const entry = joined?.offers.get(offerId);
    const credentials = joined?.client.learnerCredentials;
    if (!joined || !entry || !credentials) throw new LabError('This offer is no longer open (the class was left or it was declined).', 'not-found');
    if (entry.status === 'fetching' || entry.status === 'done') return this.learnerState();
    const changed = (): void => {
      if (this.joined === joined) this.opts.sink.emit('classroom.learner', this.learnerState());
    };
    entry.status = 'fetching';
    entry.message = null;
    changed();
    const dir = join(this.opts.dataDir, 'class-content');
    const download = join(dir, `.${offerId}.download`);
    try {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await rm(download, { force: true });
      if (entry.kind === 'lesson-folder' && entry.sizeBytes > maxTarBytes(LESSON_FOLDER_LIMITS)) {
        throw new Error(`The lesson folder offered is ${entry.sizeBytes} bytes, more than a lesson folder may be: refused, nothing was downloaded.`);
      }
      if (entry.kind === 'image-pack') {
        const fs = await statfs(dir);
        if (entry.sizeBytes > fs.bavail * fs.bsize) throw new Error(`The image pack needs ${entry.sizeBytes} bytes, more than the free space in ${dir}: nothing was downloaded.`);
      }
      await fetchOffer({ ...joined.address, fingerprint: joined.fingerprint, credentials, offer: entry, destFile: download });
      if (entry.kind === 'lesson-folder') {
        const addFolder = this.opts.addLessonFolder;
        if (!addFolder) throw new Error('This app cannot add lesson folders.');
        const dest = join(dir, offerId);
        await unpackLessonTar(download, dest);
        const added = await addFolder(dest);
        if (!added.added) {
          await rm(dest, { recursive: true, force: true });
          const first = added.problems[0];
          throw new Error(`The lesson folder was not added: ${first ? `${first.file}:${first.line}: ${first.message}` : 'it has problems'}${added.problems.length > 1 ? ` (and ${added.problems.length - 1} more)` : ''}.`);
        }
        entry.lessons = added.lessons;
        entry.message = `Added ${added.lessons.join(', ')}: open it from Home. Its commands ask for your consent before they run.`;
      } else {
        const importPack = this.opts.importImagePack;
        if (!importPack) throw new Error('This app cannot import image packs.');
        const result = await importPack(download, progressId);
        entry.message = `Imported: ${result.images.join(', ')}.`;
      }
      entry.status = 'done';
    } catch (err) {
      entry.status = 'failed';
      entry.message = err instanceof LabError || err instanceof Error ? err.message : String(err);
    } finally {
      await rm(download, { force: true });
    }
    changed();
    return this.learnerState();
  }

  /** The learner declined: the offer is forgotten (nothing of it was downloaded). */
  declineOffer(offerId: string): ClassLearnerState {
    const entry = this.joined?.offers.get(offerId);
    if (entry?.status === 'fetching') throw new LabError('This offer is being downloaded: wait for it to finish.', 'invalid');
    this.joined?.offers.delete(offerId);
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
    if (!j) return { state: 'none', address: null, name: null, className: null, handRaised: false, stopReason: null, lessonPrompt: null, broadcast: null, sharing: null, offers: [] };
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
      sharing: j.sharing ? { ...j.sharing } : null,
      offers: left ? [] : [...j.offers.values()].map((o) => ({ ...o, lessons: [...o.lessons] })),
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
    if (this.joined) this.joined.sharing = null;
    this.joined?.client.close();
    await Promise.allSettled([this.stopHosting(), this.saving, this.nearbyClasses.stop()]);
  }

  private requireHub(): ClassroomHub {
    if (!this.hub) throw new LabError('Host a class first.', 'invalid');
    return this.hub;
  }

  private policy(): typeof DEFAULT_STUCK_POLICY {
    return { ...DEFAULT_STUCK_POLICY, noProgressMs: this.stuckMinutes * 60_000 };
  }
}

/** Offers a learner keeps at once (the hub keeps as many); the oldest goes first. */
const MAX_LEARNER_OFFERS = 8;

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
    sharing: l.sharing ? { ...l.sharing } : null,
  };
}

export function createClassroomHandlers(classroom: ClassroomService) {
  async function hostClass({ address, announce }: MethodInput<'classroom.host'>): Promise<ClassDashboard> {
    return classroom.host(address, announce === undefined ? {} : { announce });
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
  async function offerContent({ kind, path }: MethodInput<'classroom.offer'>): Promise<ClassDashboard> {
    return classroom.offer(kind, path);
  }
  async function acceptOffer({ offerId, progressId }: MethodInput<'classroom.acceptOffer'>): Promise<ClassLearnerState> {
    return classroom.acceptOffer(offerId, progressId);
  }
  async function declineOffer({ offerId }: MethodInput<'classroom.declineOffer'>): Promise<ClassLearnerState> {
    return classroom.declineOffer(offerId);
  }
  async function nearby(_input: MethodInput<'classroom.nearby'>): Promise<ClassNearby> {
    return classroom.nearby();
  }
  async function shareTerminal({ terminalId }: MethodInput<'classroom.shareTerminal'>, context?: CallContext): Promise<ClassLearnerState> {
    return classroom.shareTerminal(terminalId, context?.caller);
  }
  async function stopSharing(_input: MethodInput<'classroom.stopSharing'>): Promise<ClassLearnerState> {
    return classroom.stopSharing();
  }
  async function openShare({ learnerId }: MethodInput<'classroom.openShare'>, context?: CallContext): Promise<ClassShareView> {
    return classroom.openShare(learnerId, context?.caller);
  }
  async function closeShare(_input: MethodInput<'classroom.closeShare'>): Promise<void> {
    classroom.closeShare();
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
    'classroom.offer': offerContent,
    'classroom.acceptOffer': acceptOffer,
    'classroom.declineOffer': declineOffer,
    'classroom.nearby': nearby,
    'classroom.shareTerminal': shareTerminal,
    'classroom.stopSharing': stopSharing,
    'classroom.openShare': openShare,
    'classroom.closeShare': closeShare,
    'classroom.exportReport': exportReport,
  };
}
