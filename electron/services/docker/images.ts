// Pulls an image with per-layer progress, and says plainly when the registry
// cannot be reached (the usual case offline), pointing at the alternatives.
import type Dockerode from 'dockerode';
import { LabError } from '../../api/errors';
import type { ImagePullProgress } from '../../api/types';
import { EngineTimeoutError, idleDeadline } from './deadline';
import { normalizeImageName } from './preflight';

/** One line of Docker's pull progress stream. */
interface PullEvent {
  id?: string;
  status?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { message?: string };
}

type Layer = ImagePullProgress['layers'][number];

/** Docker's words for a layer that is fully there. */
const LAYER_DONE = /^(pull complete|already exists|download complete|verifying checksum)$/i;
/** Transport failures: no network, DNS, firewall, registry down. */
const UNREACHABLE = /dial tcp|no such host|connection refused|i\/o timeout|network is unreachable|tls handshake timeout|client\.timeout|server misbehaving|no route to host|temporary failure in name resolution|connection reset/i;

/** Without one, a pull waits as long as the engine takes; with one, silence longer than idleTimeoutMs fails it. */
interface PullDeadline {
  idleTimeoutMs: number;
  endpoint: string;
}

export async function pullImage(
  docker: Dockerode,
  image: string,
  onProgress: (p: ImagePullProgress) => void,
  deadline?: PullDeadline,
): Promise<void> {
  const ref = normalizeImageName(image);
  const layers = new Map<string, Layer>();
  let status = 'Pulling';
  const snapshot = (extra: Partial<ImagePullProgress> = {}): ImagePullProgress => ({
    image,
    status,
    layers: [...layers.values()].map((layer) => ({ ...layer })),
    done: false,
    ...extra,
  });

  let stream: (NodeJS.ReadableStream & { destroy?: () => void }) | undefined;
  const idle = deadline
    ? idleDeadline({
        timeoutMs: deadline.idleTimeoutMs,
        endpoint: deadline.endpoint,
        what: `pulling ${image} (no progress)`,
        onExpire: () => stream?.destroy?.(),
      })
    : undefined;
  /** Waits for work, or fails the pull once the engine has gone silent. */
  const orIdle = <T>(work: Promise<T>): Promise<T> => (idle ? Promise.race([work, idle.expired]) : work);

  // The daemon reports a failed pull inside the stream, not as an HTTP error.
  let streamError: string | undefined;
  try {
    stream = await orIdle(docker.pull(ref) as Promise<NodeJS.ReadableStream>);
    idle?.touch();
    onProgress(snapshot());
    const opened = stream;
    await orIdle(
      new Promise<void>((resolve, reject) => {
        docker.modem.followProgress(
          opened,
          (err) => (err ? reject(err) : resolve()),
          (event: PullEvent) => {
            idle?.touch();
            if (event.error || event.errorDetail?.message) {
              streamError ??= event.error ?? event.errorDetail?.message;
              return;
            }
            applyEvent(event, layers, (s) => (status = s));
            onProgress(snapshot());
          },
        );
      }),
    );
  } catch (err) {
    // A silent engine is the engine's problem, not the registry's: its own message.
    const error = err instanceof EngineTimeoutError ? err : describePullError(image, err instanceof Error ? err.message : String(err));
    onProgress(snapshot({ done: true, error: error.message }));
    throw error;
  } finally {
    idle?.stop();
  }
  if (streamError !== undefined) {
    const error = describePullError(image, streamError);
    onProgress(snapshot({ done: true, error: error.message }));
    throw error;
  }
  onProgress(snapshot({ done: true }));
}

function applyEvent(event: PullEvent, layers: Map<string, Layer>, setStatus: (s: string) => void): void {
  const eventStatus = event.status ?? '';
  // Layer ids are short hex; other ids (the tag itself) describe the whole pull.
  if (event.id && /^[0-9a-f]{12,}$/.test(event.id)) {
    const layer: Layer = layers.get(event.id) ?? { id: event.id, status: eventStatus };
    layer.status = eventStatus;
    const { current, total } = event.progressDetail ?? {};
    if (LAYER_DONE.test(eventStatus)) layer.fraction = 1;
    else if (typeof current === 'number' && typeof total === 'number' && total > 0) {
      layer.fraction = Math.min(1, Math.max(0, current / total));
    }
    layers.set(event.id, layer);
  } else if (eventStatus) {
    setStatus(eventStatus);
  }
}

function describePullError(image: string, raw: string): LabError {
  if (UNREACHABLE.test(raw)) {
    return new LabError(
      `could not reach the registry for ${image}: no network? Import an image pack or build the images locally (${raw})`,
      'registry-unreachable',
    );
  }
  return new LabError(`could not pull ${image}: ${raw}`, 'pull-failed');
}
