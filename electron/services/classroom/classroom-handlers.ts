// The contract's classroom methods: the instructor's hub (host, dashboard, lesson prompt,
// broadcast, stuck minutes, CSV) and the learner's side (preview what is shared, join, hand,
// leave). One app hosts or joins at a time per role.
// ClassroomService puts the two sides together: instructor-desk.ts hosts (InstructorDesk),
// learner-seat.ts joins (LearnerSeat). What concerns both, a caller leaving and the app
// stopping, is decided here; createClassroomHandlers maps the contract's methods onto it.
// The read-only terminal share: a learner picks one of their own terminals, whose output the
// TerminalManager hands over here (main side, so no page can forge it); the instructor opens
// one learner's share at a time, and its output goes to that caller only.
import type { CallContext, ClassDashboard, ClassLearnerState, ClassNearby, ClassSharePreview, ClassShareView, MethodInput } from '../../api/contract';
import type { Locale } from '../../api/types';
import type { ClassroomHub } from './classroom-hub';
import { InstructorDesk, type InstructorDeskOptions } from './instructor-desk';
import { LearnerSeat, type LearnerSeatOptions, type ShareableTerminals } from './learner-seat';

export { DASHBOARD_EVENT_INTERVAL_MS, type LessonLookup } from './instructor-desk';
export type { ShareableTerminals } from './learner-seat';

/** Both sides' options: each takes the ones it needs (dataDir, sink and now are shared). */
export interface ClassroomServiceOptions extends InstructorDeskOptions, LearnerSeatOptions {}

export class ClassroomService {
  private readonly desk: InstructorDesk;
  private readonly seat: LearnerSeat;

  constructor(opts: ClassroomServiceOptions) {
    this.desk = new InstructorDesk(opts);
    this.seat = new LearnerSeat(opts);
  }

  /** The app's terminals, for the learner's read-only share (LearnerSeat.attachTerminals). */
  attachTerminals(terminals: ShareableTerminals): () => void {
    return this.seat.attachTerminals(terminals);
  }

  // ------------------------------------------------------------ instructor (instructor-desk.ts)

  /** The class this app hosts, if any (browser mode's `--classroom` prints its banner). */
  get hostedHub(): ClassroomHub | null {
    return this.desk.hostedHub;
  }

  host(addressText: string, options: { announce?: boolean } = {}): Promise<ClassDashboard> {
    return this.desk.host(addressText, options);
  }

  offer(kind: 'lesson-folder' | 'image-pack', given: string | undefined): Promise<ClassDashboard> {
    return this.desk.offer(kind, given);
  }

  stopHosting(): Promise<ClassDashboard> {
    return this.desk.stopHosting();
  }

  dashboard(): ClassDashboard {
    return this.desk.dashboard();
  }

  setLesson(lessonId: string, locale: Locale): ClassDashboard {
    return this.desk.setLesson(lessonId, locale);
  }

  broadcast(text: string): void {
    this.desk.broadcast(text);
  }

  setStuckMinutes(minutes: number): ClassDashboard {
    return this.desk.setStuckMinutes(minutes);
  }

  exportCsv(): Promise<{ file: string; csv: string }> {
    return this.desk.exportCsv();
  }

  exportReport(locale: Locale): Promise<{ file: string; html: string }> {
    return this.desk.exportReport(locale);
  }

  openShare(learnerId: string, caller: string | undefined): ClassShareView {
    return this.desk.openShare(learnerId, caller);
  }

  closeShare(): void {
    this.desk.closeShare();
  }

  shareViewer(): string | undefined {
    return this.desk.shareViewer();
  }

  // ------------------------------------------------------------ learner (learner-seat.ts)

  shareTerminal(terminalId: string, caller: string | undefined): ClassLearnerState {
    return this.seat.shareTerminal(terminalId, caller);
  }

  stopSharing(): ClassLearnerState {
    return this.seat.stopSharing();
  }

  sharePreview(name: string, locale?: Locale): ClassSharePreview {
    return this.seat.sharePreview(name, locale);
  }

  join(input: MethodInput<'classroom.join'>): ClassLearnerState {
    return this.seat.join(input);
  }

  probeHub(addressText: string): Promise<{ fingerprint: string; pin: string }> {
    return this.seat.probeHub(addressText);
  }

  nearby(): ClassNearby {
    return this.seat.nearby();
  }

  resume(): Promise<string | undefined> {
    return this.seat.resume();
  }

  leave(): Promise<ClassLearnerState> {
    return this.seat.leave();
  }

  withdrawOffer(offerId: string): Promise<ClassDashboard> {
    return this.desk.withdrawOffer(offerId);
  }

  acceptOffer(offerId: string, progressId?: string): Promise<ClassLearnerState> {
    return this.seat.acceptOffer(offerId, progressId);
  }

  declineOffer(offerId: string): ClassLearnerState {
    return this.seat.declineOffer(offerId);
  }

  setHand(raised: boolean): ClassLearnerState {
    return this.seat.setHand(raised);
  }

  learnerState(): ClassLearnerState {
    return this.seat.learnerState();
  }

  // ------------------------------------------------------------ the app's events and calls

  /** Every event the app emits; the feed keeps only checkpoints and the coach's hint text. */
  onAppEvent(name: string, payload: unknown): void {
    this.seat.onAppEvent(name, payload);
  }

  /** Every API call that succeeded: lesson opens and step changes move the feed. */
  onApiCall(method: string, input: unknown, result: unknown): void {
    this.seat.onApiCall(method, input, result);
  }

  /** A caller (window, connection) left: a share viewer it held closes. Its terminals close elsewhere, which stops a share of them. */
  disconnect(caller: string): void {
    this.desk.disconnect(caller);
  }

  /** The app stops: the hub stops, and the learner's connection closes without leaving (a restart rejoins). */
  async dispose(): Promise<void> {
    // The learner's connection closes first (as before the split), then the hub stops.
    await Promise.allSettled([this.seat.dispose(), this.desk.stopHosting()]);
  }
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
  async function withdrawOffer({ offerId }: MethodInput<'classroom.withdrawOffer'>): Promise<ClassDashboard> {
    return classroom.withdrawOffer(offerId);
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
    'classroom.withdrawOffer': withdrawOffer,
    'classroom.nearby': nearby,
    'classroom.shareTerminal': shareTerminal,
    'classroom.stopSharing': stopSharing,
    'classroom.openShare': openShare,
    'classroom.closeShare': closeShare,
    'classroom.exportReport': exportReport,
  };
}
