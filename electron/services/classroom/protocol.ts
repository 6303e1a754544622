import { z } from 'zod';

/**
 * The classroom wire protocol: JSON text frames over WebSocket over TLS.
 * Every object is strict (an unknown key is an error), so a field such as terminal output
 * cannot ride along with a valid message. Both sides parse everything they receive with
 * these schemas and check everything they send with them too.
 */
export const PROTOCOL_VERSION = 1;

/** Largest frame either side accepts (ws `maxPayload`); a bigger frame closes the socket. */
export const MAX_MESSAGE_BYTES = 16 * 1024;

const id = z.string().min(1).max(80).regex(/^[A-Za-z0-9._:-]+$/, 'ids use letters, digits, . _ : -');
/** Printable text without control characters (no terminal escapes in a reason or a name). */
const text = (max: number): z.ZodString =>
  z
    .string()
    .max(max)
    // eslint-disable-next-line no-control-regex
    .regex(/^[^\u0000-\u0008\u000b-\u001f\u007f-\u009f]*$/, 'no control characters');
const proof = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'a 32-byte base64url proof');

export const LEARNER_NAME_MAX = 40;
export const REASON_MAX = 300;
export const COACH_HINT_MAX = 500;
export const BROADCAST_MAX = 280;
export const CHECKPOINTS_MAX = 100;

// ---------------------------------------------------------------- learner → hub

export const CheckpointStatus = z.enum(['pending', 'passed', 'failed']);
export type CheckpointStatus = z.infer<typeof CheckpointStatus>;

export const CheckpointState = z.strictObject({
  id,
  status: CheckpointStatus,
  reason: text(REASON_MAX).optional(),
  /** How many checks of this checkpoint failed so far on the learner's side. */
  failedAttempts: z.int().min(0).max(100_000).default(0),
});
export type CheckpointState = z.infer<typeof CheckpointState>;

export const HelloAuth = z.discriminatedUnion('kind', [
  /** First join: proof = HMAC over the TLS exporter, keyed by the join code (see channel-proof.ts). */
  z.strictObject({ kind: z.literal('code'), proof }),
  /** Rejoin: proof keyed by the learner's own token, bound to this TLS channel. */
  z.strictObject({ kind: z.literal('token'), learnerId: id, proof }),
]);

export const Hello = z.strictObject({
  type: z.literal('hello'),
  protocol: z.literal(PROTOCOL_VERSION),
  name: text(LEARNER_NAME_MAX).min(1),
  auth: HelloAuth,
});

export const Progress = z.strictObject({
  type: z.literal('progress'),
  lessonId: id,
  stepId: id,
  checkpoints: z.array(CheckpointState).max(CHECKPOINTS_MAX),
  hintsRevealed: z.array(id).max(CHECKPOINTS_MAX),
  solutionsUsed: z.array(id).max(CHECKPOINTS_MAX),
  secondsOnStep: z.int().min(0).max(7 * 24 * 3600),
  coachHint: text(COACH_HINT_MAX).nullable(),
});
export type Progress = z.infer<typeof Progress>;
/** What a learner's app hands the client: the progress message without its tag. */
export type ProgressSnapshot = Omit<z.input<typeof Progress>, 'type'>;

export const Hand = z.strictObject({ type: z.literal('hand'), raised: z.boolean() });
export const Leave = z.strictObject({ type: z.literal('leave') });

// The read-only terminal share: the learner's app sends one terminal's output, and nothing in
// the protocol goes the other way (the hub has no message that types into a terminal).

/** Characters of terminal output in one share-output frame: even escaped six-fold as JSON
 * (a control character becomes \u001b) it stays under MAX_MESSAGE_BYTES. */
export const SHARE_CHUNK_CHARS = 2048;
export const SHARE_LABEL_MAX = 60;
const termCols = z.int().min(1).max(1000);
const termRows = z.int().min(1).max(500);

/** Starts (or restarts) the share: a label for the instructor (never the terminal's id) and its size. */
export const ShareStart = z.strictObject({ type: z.literal('share-start'), label: text(SHARE_LABEL_MAX).min(1), cols: termCols, rows: termRows });
/**
 * Output in order: `seq` counts the frames of this share from 0 (the hub refuses a gap or a
 * repeat); `skipped` is how many characters the learner's outbox dropped before this chunk
 * because the hub was slow. `data` is raw terminal output, escapes included: only an xterm shows it.
 */
export const ShareOutput = z.strictObject({
  type: z.literal('share-output'),
  seq: z.int().min(0).max(Number.MAX_SAFE_INTEGER),
  data: z.string().max(SHARE_CHUNK_CHARS),
  skipped: z.int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
});
export type ShareOutput = z.infer<typeof ShareOutput>;
export const ShareResize = z.strictObject({ type: z.literal('share-resize'), cols: termCols, rows: termRows });
export const ShareStop = z.strictObject({ type: z.literal('share-stop') });

export const LearnerMessage = z.discriminatedUnion('type', [Hello, Progress, Hand, Leave, ShareStart, ShareOutput, ShareResize, ShareStop]);
export type LearnerMessage = z.infer<typeof LearnerMessage>;

// ---------------------------------------------------------------- hub → learner

export const LessonRef = z.strictObject({ lessonId: id, title: text(120).min(1) });
export type LessonRef = z.infer<typeof LessonRef>;

export const Welcome = z.strictObject({
  type: z.literal('welcome'),
  learnerId: id,
  /** Present only on a first join: the learner keeps it for rejoining. */
  token: z.string().regex(/^[A-Za-z0-9_-]{43}$/).optional(),
  /** The hub proves it knows the join code too, bound to this channel (checked by the learner). */
  hubProof: proof,
  className: text(80).min(1),
  currentLesson: LessonRef.nullable(),
});

export const RefusalReason = z.enum(['bad-code', 'bad-token', 'too-many-attempts', 'class-full', 'protocol', 'rate-limited', 'left']);
export type RefusalReason = z.infer<typeof RefusalReason>;
export const Refused = z.strictObject({ type: z.literal('refused'), reason: RefusalReason });

/** A prompt to open a lesson: the learner's app asks, it never jumps by itself. */
export const SetLesson = z.strictObject({ type: z.literal('set-lesson'), lesson: LessonRef });
export const Broadcast = z.strictObject({ type: z.literal('broadcast'), text: text(BROADCAST_MAX).min(1) });
/**
 * An offer of content. The learner's app must route it through the same consent dialog as an
 * instructor's lesson folder; the message carries no commands and nothing here acts on it.
 * The bytes come only when the learner accepts, from the hub over a pinned TLS connection
 * (content-fetch.ts), and must have exactly this size and SHA-256.
 */
export const ContentOffer = z.strictObject({
  type: z.literal('content-offer'),
  /** Names the learner's download folder, so it is only ever this shape (never `..`). */
  offerId: z.string().regex(/^o-[0-9a-f]{16}$/, 'an offer id'),
  kind: z.enum(['lesson-folder', 'image-pack']),
  title: text(120).min(1),
  sizeBytes: z.int().min(1).max(64 * 1024 ** 3),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in hex'),
});
export type ContentOffer = z.infer<typeof ContentOffer>;
/** The instructor withdrew an offer (or the hub let an old one go): no new download of it is served. */
export const ContentWithdrawn = z.strictObject({ type: z.literal('content-withdrawn'), offerId: ContentOffer.shape.offerId });

export const HubMessage = z.discriminatedUnion('type', [Welcome, Refused, SetLesson, Broadcast, ContentOffer, ContentWithdrawn]);
export type HubMessage = z.infer<typeof HubMessage>;

/** Parses one text frame; returns null for anything that is not valid JSON of the schema. */
export function parseFrame<T>(schema: z.ZodType<T>, data: unknown): T | null {
  const raw = typeof data === 'string' ? data : Buffer.isBuffer(data) ? data.toString('utf8') : null;
  if (raw === null || Buffer.byteLength(raw) > MAX_MESSAGE_BYTES) return null;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return null;
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? parsed.data : null;
}

/** Checks an outgoing message with its schema, so neither side can send what the other must refuse. */
export function encodeFrame<T>(schema: z.ZodType<T>, message: unknown): string {
  const parsed = schema.parse(message);
  const frame = JSON.stringify(parsed);
  if (Buffer.byteLength(frame) > MAX_MESSAGE_BYTES) throw new Error(`classroom message too large (${Buffer.byteLength(frame)} bytes)`);
  return frame;
}
