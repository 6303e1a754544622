// The image the Docker host view runs, pinned by id on first use (trust on
// first use): a tag is mutable, so a `busybox` replaced later (a pack, a pull,
// another program) must not change what runs on the host's network. The id is
// kept in <dataDir>/host-view-image.json and used while that image exists.
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { z } from 'zod';
import { LabError } from '../../api/errors';
import { log } from '../log/logger';
import { writeFileAtomic } from '../fs/atomic-write';
import { readVersionedJson } from '../fs/versioned-json';

export const HOST_VIEW_IMAGE = 'busybox:latest';
export const PIN_FILE = 'host-view-image.json';
const PIN_VERSION = 1;

const pinSchema = z.object({
  version: z.literal(PIN_VERSION),
  image: z.string().min(1),
  id: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  pinnedAt: z.iso.datetime(),
});
type ImagePin = z.infer<typeof pinSchema>;

/** The id the host view runs: the recorded one while it exists, else `image` resolved now and recorded. */
export async function pinnedHostViewImage(docker: Dockerode, dataDir: string, image = HOST_VIEW_IMAGE): Promise<string> {
  const file = join(dataDir, PIN_FILE);
  const read = await readVersionedJson(file, pinSchema, PIN_VERSION);
  if (!read.data && read.setAsideAs) log.warn('host view image record set aside; pinning the image again', { file: read.setAsideAs, why: read.why });
  const pin = read.data?.image === image ? read.data : undefined;

  if (pin) {
    if ((await idOf(docker, pin.id)) === pin.id) {
      const tagged = await idOf(docker, image);
      if (tagged !== undefined && tagged !== pin.id) {
        log.warn('the host view image tag moved; the host view keeps the image it first used', { image, pinned: pin.id, tagNow: tagged, file });
      }
      return pin.id;
    }
    log.warn('the host view image recorded earlier is gone; pinning the image again', { image, pinned: pin.id });
  }

  const id = await idOf(docker, image);
  if (id === undefined) {
    throw new LabError(
      `The Docker host view needs the image ${image}, which is not in the engine: pull it (docker pull ${image}) or import an image pack.`,
      'image-missing',
    );
  }
  const record: ImagePin = { version: PIN_VERSION, image, id, pinnedAt: new Date().toISOString() };
  await writeFileAtomic(file, `${JSON.stringify(record, null, 2)}\n`);
  log.info('host view image pinned', { image, id });
  return id;
}

/** The image's id, or undefined when the engine has no such image. */
async function idOf(docker: Dockerode, ref: string): Promise<string | undefined> {
  try {
    return (await docker.getImage(ref).inspect()).Id;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return undefined;
    throw err;
  }
}
