// Pulls an image with per-layer progress, and says plainly when the registry
// cannot be reached (the usual case offline), pointing at the alternatives.
import type Dockerode from 'dockerode';
import { LabError } from '../../api/errors';
import type { ImagePullProgress } from '../../api/types';
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

export async function pullImage(
  docker: Dockerode,
  image: string,
  onProgress: (p: ImagePullProgress) => void,
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

  const fail = (raw: string): never => {
    const error = describePullError(image, raw);
    onProgress(snapshot({ done: true, error: error.message }));
    throw error;
  };

  let stream: NodeJS.ReadableStream;
  try {
    stream = await docker.pull(ref);
  } catch (err) {
    return fail(err instanceof Error ? err.message : String(err));
  }
  onProgress(snapshot());

  // The daemon reports a failed pull inside the stream, not as an HTTP error.
  let streamError: string | undefined;
  const finished = new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (err) => (err ? reject(err) : resolve()),
      (event: PullEvent) => {
        if (event.error || event.errorDetail?.message) {
          streamError ??= event.error ?? event.errorDetail?.message;
          return;
        }
        applyEvent(event, layers, (s) => (status = s));
        onProgress(snapshot());
      },
    );
  });
  try {
    await finished;
  } catch (err) {
    return fail(err instanceof Error ? err.message : String(err));
  }
  if (streamError !== undefined) return fail(streamError);
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
