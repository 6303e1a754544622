// The learner's seat: this app's side of a class it joins (ClassroomService's learner side).
// It previews what joining would send, probes a hub's fingerprint, lists the classes nearby,
// joins (or rejoins after a restart with the saved token), raises the hand and leaves. The
// learner's feed follows the app's checkpoint and step events from start-up, but nothing is sent
// before the learner joins.
// The read-only terminal share: a learner picks one of their own terminals, whose output the
// TerminalManager hands over here (main side, so no page can forge it).
// Offers of content (a lesson folder, an image pack) reach the learner as a notice only; the
// learner's accept downloads and verifies it, then hands it to the app's own doors: the lesson
// folder to lessons.addFolder (so the consent for an instructor's lesson applies before any of
// its commands run), the image pack to the verified import.
import { mkdir, rm, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClassLearnerOffer, ClassLearnerState, ClassNearby, ClassSharePreview, EventSink, MethodInput } from '../../api/contract';
import { LabError } from '../../api/errors';
import type { AddFolderResult, ImagePackResult, Locale, TerminalInfo } from '../../api/types';
import { fetchOffer } from './content-fetch';
import { LESSON_FOLDER_LIMITS, maxTarBytes, unpackLessonTar } from './content-pack';
import { formatHostPort, parseTypedAddress, type HubAddress } from './hub-address';
import { fingerprintForHumans, parseJoinCode } from './join-code';
import { LearnerClient, probeHubFingerprint, type LearnerClientOptions } from './learner-client';
import { LearnerClassStore } from './learner-store';
import { LearnerProgressFeed } from './learner-feed';
import { LearnerSession } from './learner-session';
import { NearbyClasses, type NearbyClassesOptions } from './nearby-classes';
import { ShareMarkFilter } from './share-mark-filter';

/** What a terminal share needs of the TerminalManager (terminal-manager.ts). */
export interface ShareableTerminals {
  list(): TerminalInfo[];
  ownerOf(id: string): string | undefined;
  sizeOf(id: string): { cols: number; rows: number } | undefined;
  onOutput(listener: (id: string, key: string, text: string) => void): () => void;
  onResize(listener: (id: string, cols: number, rows: number) => void): () => void;
  onExit(listener: (id: string) => void): () => void;
}

/** What the learner's side needs of ClassroomServiceOptions. */
export interface LearnerSeatOptions {
  dataDir: string;
  sink: EventSink;
  locale?: Locale;
  now?: () => number;
  /** Extra options for the learner's client (tests inject timers). */
  clientOptions?: Partial<LearnerClientOptions>;
  /** Adds an accepted, unpacked lesson folder the way Settings does (lessons.addFolder). */
  addLessonFolder?: (dir: string) => Promise<AddFolderResult>;
  /** The verified image-pack import (images.importPack's own), for an accepted pack. */
  importImagePack?: (file: string, progressId?: string) => Promise<ImagePackResult>;
  /** How the Join screen's list of classes listens (tests: their own mDNS port). */
  nearby?: NearbyClassesOptions;
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

export class LearnerSeat {
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

  constructor(private readonly opts: LearnerSeatOptions) {
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
    const address = parseTypedAddress(input.address);
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
    const address = parseTypedAddress(addressText);
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
    client.on('content-withdrawn', (offerId) => {
      // What was not fetched can no longer be; a download under way finishes, and what was added stays.
      const entry = joined.offers.get(offerId);
      if (!entry || entry.status === 'fetching' || entry.status === 'done') return;
      entry.status = 'withdrawn';
      entry.message = null;
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
    if (entry.status === 'withdrawn') throw new LabError('The instructor withdrew this offer: nothing was downloaded.', 'not-found');
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

  /** The app stops: the connection closes without leaving (a restart rejoins); pending saves and the listening finish. */
  async dispose(): Promise<void> {
    if (this.joined) this.joined.sharing = null;
    this.joined?.client.close();
    await Promise.allSettled([this.saving, this.nearbyClasses.stop()]);
  }
}

/** Offers a learner keeps at once (the hub keeps as many); the oldest goes first. */
const MAX_LEARNER_OFFERS = 8;
