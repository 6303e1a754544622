// Which CPU architecture an engine runs and an image is for, in one spelling
// (Go's GOARCH, as image configs and `docker version` write it), and how an
// engine holds an image's other architectures.
//
// The engine keeps one image per tag, so an image's second architecture sits
// beside it under the same name with the architecture appended to the tag:
// busybox:latest (this engine's amd64) and busybox:latest-arm64. That is the
// usual spelling of per-architecture tags (`docker manifest create` joins such
// tags into one multi-platform name). An image pack records both as one image,
// busybox:latest, with two platforms, and import tags the learner's platform
// as busybox:latest.
import type Dockerode from 'dockerode';
import { LabError } from '../../api/errors';

/** The architectures an image pack looks for beside each image (as `NAME-ARCH` tags). */
export const PACK_ARCHITECTURES = ['amd64', 'arm64'] as const;

/** uname -m and other spellings of the same architecture. */
const ALIASES: Record<string, string> = {
  x86_64: 'amd64',
  'x86-64': 'amd64',
  x64: 'amd64',
  amd64: 'amd64',
  aarch64: 'arm64',
  arm64: 'arm64',
  armv8: 'arm64',
  armv8l: 'arm64',
  armv7l: 'arm',
  armv7: 'arm',
  armhf: 'arm',
  armv6l: 'arm',
  arm: 'arm',
  i386: '386',
  i686: '386',
  x86: '386',
  '386': '386',
  ppc64le: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
};

/** An architecture in GOARCH spelling (`x86_64` → `amd64`, `aarch64` → `arm64`); unknown names lower-cased as they are. */
export function normalizeArchitecture(raw: string): string {
  const key = raw.trim().toLowerCase();
  return ALIASES[key] ?? key;
}

/** The engine's architecture: `docker version`'s Arch, or `docker info`'s Architecture (uname -m) when that is missing. */
export async function engineArchitecture(docker: Dockerode): Promise<string> {
  const version = (await docker.version()) as { Arch?: unknown };
  if (typeof version.Arch === 'string' && version.Arch.trim()) return normalizeArchitecture(version.Arch);
  const info = (await docker.info()) as { Architecture?: unknown };
  if (typeof info.Architecture === 'string' && info.Architecture.trim()) return normalizeArchitecture(info.Architecture);
  throw new LabError('the engine does not say which CPU architecture it runs (docker version shows no Arch)', 'engine-arch');
}

/** A name's repository and tag (`localhost:5000/a/b:1` → `localhost:5000/a/b`, `1`); a name without a tag is `latest`. */
export function splitTag(name: string): { repo: string; tag: string } {
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  return colon > slash ? { repo: name.slice(0, colon), tag: name.slice(colon + 1) } : { repo: name, tag: 'latest' };
}

/** Where the engine keeps `name`'s image for another architecture: `busybox:latest` → `busybox:latest-arm64`. */
export function platformTag(name: string, architecture: string): string {
  const { repo, tag } = splitTag(name);
  return `${repo}:${tag}-${architecture}`;
}

export interface PlatformImage {
  name: string;
  platforms: readonly { architecture: string; id: string }[];
}

/**
 * The image to load for each name on an engine of `architecture`, or a
 * refusal naming both the pack's architectures and the engine's.
 */
export function choosePlatform(
  images: readonly PlatformImage[],
  architecture: string,
): { chosen: { name: string; id: string }[] } | { refused: string } {
  const arch = normalizeArchitecture(architecture);
  const chosen: { name: string; id: string }[] = [];
  const lacking: string[] = [];
  for (const image of images) {
    const match = image.platforms.find((p) => normalizeArchitecture(p.architecture) === arch);
    if (match) chosen.push({ name: image.name, id: match.id });
    else lacking.push(`${image.name} for ${image.platforms.map((p) => p.architecture).join(' and ')} only`);
  }
  if (lacking.length === 0) return { chosen };
  const first = images.find((i) => !chosen.some((c) => c.name === i.name));
  const example = first ? `${first.name} itself, or ${platformTag(first.name, arch)} beside it` : `NAME-${arch}`;
  return {
    refused:
      `this pack holds ${lacking.join(', ')}, but this engine runs ${arch}; nothing was loaded. ` +
      `Export the pack again from an engine that has ${lacking.length > 1 ? 'each image' : 'the image'} for ${arch} (${example})`,
  };
}
