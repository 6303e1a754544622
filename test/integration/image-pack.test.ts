// Image packs against the real engine: export, the pack's contents, a round
// trip through `docker rmi`, refusals before anything is loaded, packs with
// amd64 and arm64 images (the arm64 ones built by scripts/build-lab-images.sh
// --arch arm64 under this file's prefix), version 1 packs, and the
// `npm run images` command. Only `itest-pack-*` tags are created and removed.
import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabError } from '../../electron/api/errors';
import { createDocker } from '../../electron/services/docker/client';
import { exportImagePack, importImagePack, openPack, readPackManifest, writeImagePack, type ImportProgress } from '../../electron/services/docker/image-pack';
import { parseImagesArgs } from '../../scripts/images';
import { dockerCli } from '../support/docker';
import { startTestServices } from '../support/services';

const execFileAsync = promisify(execFile);
const REPO = resolve(__dirname, '..', '..');
const TSX = join(REPO, 'node_modules', '.bin', 'tsx');
const PREFIX = 'itest-pack-';
/** The tag a hostile pack tries to take over; restored at once should the import ever let it through. */
const VICTIM = 'busybox:latest';
const { docker } = createDocker();
let dir: string;

async function imageId(ref: string): Promise<string | undefined> {
  return dockerCli('image', 'inspect', '--format', '{{.Id}}', ref).catch(() => undefined);
}

async function removeOurTags(): Promise<void> {
  const refs = (await dockerCli('images', '--format', '{{.Repository}}:{{.Tag}}')).split('\n').filter((r) => r.startsWith(PREFIX));
  // Untags only: the image itself stays as long as busybox:latest names it.
  for (const ref of refs) await dockerCli('rmi', ref).catch(() => undefined);
}

async function refusal(p: Promise<unknown>): Promise<LabError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LabError);
  return err as LabError;
}

async function runScript(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(TSX, [join(REPO, 'scripts', 'images.ts'), ...args], { cwd: REPO });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as Error & { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

beforeAll(async () => {
  await removeOurTags();
  dir = await mkdtemp(join(tmpdir(), 'netlab-itest-pack-'));
});

afterAll(async () => {
  await removeOurTags();
  await rm(dir, { recursive: true, force: true });
});

describe('exportImagePack', () => {
  it('saves two images of one architecture into one pack whose manifest matches the engine', async () => {
    // Own names, so an engine that also has busybox:latest-arm64 (as CI builds it) gives the same pack.
    await dockerCli('tag', 'busybox:latest', `${PREFIX}one:latest`);
    await dockerCli('tag', 'httpd:latest', `${PREFIX}two:1`);
    const file = join(dir, 'course.netlab-images.tar');
    const phases = new Set<string>();
    const result = await exportImagePack(docker, [`${PREFIX}one`, `${PREFIX}two:1`], file, (p) => phases.add(p.phase));
    expect(result.images).toEqual([`${PREFIX}one:latest`, `${PREFIX}two:1`]);
    expect(result.architectures).toEqual(['amd64']);
    expect(phases).toEqual(new Set(['save', 'write']));

    const manifest = await readPackManifest(file);
    expect(manifest.format).toBe('netlab-image-pack');
    expect(manifest.version).toBe(2);
    expect(manifest.images).toEqual([
      { name: `${PREFIX}one:latest`, platforms: [{ architecture: 'amd64', os: 'linux', id: await imageId('busybox:latest') }] },
      { name: `${PREFIX}two:1`, platforms: [{ architecture: 'amd64', os: 'linux', id: await imageId('httpd:latest') }] },
    ]);

    // images-amd64.tar is what Docker saved, by id: its own manifest.json tags nothing.
    const out = join(dir, 'extracted');
    await mkdir(out);
    await execFileAsync('tar', ['xf', file, '-C', out]);
    expect((await readdir(out)).sort()).toEqual(['images-amd64.tar', 'netlab-pack.json']);
    const { stdout } = await execFileAsync('tar', ['xOf', join(out, 'images-amd64.tar'), 'manifest.json']);
    const saved = JSON.parse(stdout) as { Config: string; RepoTags: string[] | null }[];
    expect(saved.map((s) => s.RepoTags)).toEqual([null, null]);
    expect(saved.map((s) => `sha256:${s.Config.replace(/\.json$/, '')}`).sort()).toEqual(
      [await imageId('busybox:latest'), await imageId('httpd:latest')].sort(),
    );
    const { stdout: sum } = await execFileAsync('sha256sum', [join(out, 'images-amd64.tar')]);
    expect(sum.split(' ')[0]).toBe(manifest.files[0]?.sha256);
  });

  it('refuses an image the engine does not have, and writes nothing', async () => {
    const file = join(dir, 'missing.netlab-images.tar');
    const err = await refusal(exportImagePack(docker, ['busybox:latest', `${PREFIX}missing`], file));
    expect(err.message).toBe(`${PREFIX}missing:latest is not in the engine: build or pull it first`);
    expect(await readdir(dir)).not.toContain('missing.netlab-images.tar');
  });
});

describe('importImagePack', () => {
  let pack: string;
  let busyboxId: string | undefined;

  beforeAll(async () => {
    busyboxId = await imageId('busybox:latest');
    await dockerCli('tag', 'busybox:latest', `${PREFIX}box:latest`);
    pack = join(dir, 'box.netlab-images.tar');
    await exportImagePack(docker, [`${PREFIX}box`], pack);
  });

  it('brings back a removed image with the same id', async () => {
    await dockerCli('rmi', `${PREFIX}box:latest`);
    expect(await imageId(`${PREFIX}box:latest`)).toBeUndefined();

    const events: ImportProgress[] = [];
    const result = await importImagePack(docker, pack, (p) => events.push(p));
    expect(result.images).toEqual([`${PREFIX}box:latest`]);
    expect(await imageId(`${PREFIX}box:latest`)).toBe(busyboxId);
    // Verified completely before loading began.
    const firstLoad = events.findIndex((e) => e.phase === 'load');
    expect(firstLoad).toBeGreaterThan(0);
    expect(events[firstLoad - 1]).toMatchObject({ phase: 'verify', bytes: events[firstLoad - 1]?.total });
    expect(events.at(-1)).toMatchObject({ phase: 'load', bytes: events.at(-1)?.total });
  });

  it('refuses a pack with a flipped byte inside images.tar before loading anything', async () => {
    await dockerCli('tag', 'busybox:latest', `${PREFIX}corrupt:latest`);
    const source = join(dir, 'corrupt-source.netlab-images.tar');
    await exportImagePack(docker, [`${PREFIX}corrupt`], source);
    await dockerCli('rmi', `${PREFIX}corrupt:latest`);

    const images = (await openPack(source)).files.get('images-amd64.tar');
    if (!images) throw new Error('the pack has no images-amd64.tar');
    const bytes = await readFile(source);
    const at = images.offset + Math.floor(images.size / 2);
    bytes[at] = (bytes[at] ?? 0) ^ 0x01;
    const damaged = join(dir, 'corrupt.netlab-images.tar');
    await writeFile(damaged, bytes);

    const phases = new Set<string>();
    const err = await refusal(importImagePack(docker, damaged, (p) => phases.add(p.phase)));
    expect(err.message).toBe('the pack is damaged: images-amd64.tar checksum differs; copy it again');
    expect(phases).toEqual(new Set(['verify']));
    expect(await imageId(`${PREFIX}corrupt:latest`)).toBeUndefined();
  });

  it('refuses a pack whose images.tar would also tag busybox:latest, which its manifest does not list, and loads nothing', async () => {
    const listed = `${PREFIX}x:1`;
    const httpdId = await imageId('httpd:latest');
    const before = await imageId(VICTIM);
    expect(before).toBeDefined();
    expect(httpdId).not.toBe(before);
    try {
      // A real docker save of httpd as the listed name, with the victim added to the archive's own tags.
      await dockerCli('tag', 'httpd:latest', listed);
      const saved = join(dir, 'retag-save.tar');
      await dockerCli('save', '-o', saved, listed);
      await dockerCli('rmi', listed);
      const work = join(dir, 'retag-save');
      await mkdir(work);
      await execFileAsync('tar', ['xf', saved, '-C', work]);
      const [victimRepo, victimTag] = VICTIM.split(':') as [string, string];
      const items = JSON.parse(await readFile(join(work, 'manifest.json'), 'utf8')) as { RepoTags: string[] }[];
      items[0]?.RepoTags.push(VICTIM);
      await writeFile(join(work, 'manifest.json'), JSON.stringify(items));
      const repositories = JSON.parse(await readFile(join(work, 'repositories'), 'utf8')) as Record<string, Record<string, string>>;
      repositories[victimRepo] = { [victimTag]: Object.values(Object.values(repositories)[0] ?? {})[0] ?? '' };
      await writeFile(join(work, 'repositories'), JSON.stringify(repositories));
      const entries = (await execFileAsync('tar', ['tf', saved])).stdout.trim().split('\n');
      const crafted = join(dir, 'retag.tar');
      await execFileAsync('tar', ['cf', crafted, '--format=ustar', '-C', work, '--no-recursion', ...entries]);

      const pack = join(dir, 'retag.netlab-images.tar');
      await writeImagePack(pack, [{ name: listed, id: httpdId as string }], createReadStream(crafted));
      const phases = new Set<string>();
      const err = await refusal(importImagePack(docker, pack, (p) => phases.add(p.phase)));
      expect(err.code).toBe('pack-unlisted-tags');
      expect(err.message).toBe(
        `the pack's images.tar would also tag ${VICTIM}, which its manifest does not list (it lists ${listed}); nothing was loaded`,
      );
      expect(phases).toEqual(new Set(['verify']));
      expect(await imageId(VICTIM)).toBe(before);
      expect(await imageId(listed)).toBeUndefined();
    } finally {
      // Should the check ever fail, the shared engine's busybox:latest must not stay retagged.
      if (before !== undefined && (await imageId(VICTIM)) !== before) await dockerCli('tag', before, VICTIM);
    }
  });

  it('refuses a file that is not a pack, even a docker save archive', async () => {
    const saved = join(dir, 'plain-save.tar');
    await dockerCli('tag', 'busybox:latest', `${PREFIX}plain:latest`);
    await dockerCli('save', '-o', saved, `${PREFIX}plain:latest`);
    await dockerCli('rmi', `${PREFIX}plain:latest`);
    const err = await refusal(importImagePack(docker, saved));
    expect(err.code).toBe('pack-invalid');
    expect(err.message).toMatch(new RegExp(`^${saved.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not a NetLab image pack: `));
    expect(await imageId(`${PREFIX}plain:latest`)).toBeUndefined();

    const text = join(dir, 'notes.txt');
    await writeFile(text, 'just words\n');
    expect((await refusal(importImagePack(docker, text))).message).toBe(`${text} is not a NetLab image pack: it is not a tar archive`);
    expect((await refusal(importImagePack(docker, join(dir, 'absent.tar')))).message).toBe(`${join(dir, 'absent.tar')} does not exist`);
  });
});

describe('packs with amd64 and arm64 images', () => {
  // The lab images for both architectures under this file's prefix: NAME (this engine's amd64) and NAME-arm64.
  const box = `${PREFIX}busybox:latest`;
  const web = `${PREFIX}httpd:latest`;
  let amdBox: string;
  let armBox: string;
  let armWeb: string;

  async function architectureOf(ref: string): Promise<string> {
    return dockerCli('image', 'inspect', '--format', '{{.Architecture}}', ref);
  }

  /**
   * The arm64 lab images under this file's prefix, each with a label of this run on top: the build is
   * reproducible, so without it the engine may hold the same image under other tags (busybox:latest-arm64),
   * and a test could not tell that import left the arm64 image out.
   */
  async function buildArm64(): Promise<void> {
    await execFileAsync('bash', [join(REPO, 'scripts', 'build-lab-images.sh'), '--arch', 'arm64', '--force'], {
      cwd: REPO,
      env: { ...process.env, LAB_IMAGE_PREFIX: PREFIX },
    });
    const context = await mkdtemp(join(dir, 'context-'));
    for (const tag of [`${box}-arm64`, `${web}-arm64`]) {
      // The legacy builder keeps the base image's architecture and runs nothing for a LABEL.
      const dockerfile = join(context, 'Dockerfile');
      await writeFile(dockerfile, `FROM ${tag}\nLABEL dev.netlab.itest-run=${Date.now()}-${Math.random()}\n`);
      await execFileAsync('docker', ['build', '-q', '-t', tag, context], { env: { ...process.env, DOCKER_BUILDKIT: '0' } });
    }
  }

  beforeAll(async () => {
    const engine = await dockerCli('version', '--format', '{{.Server.Arch}}');
    if (engine !== 'amd64') throw new Error(`these tests pair this engine's amd64 lab images with built arm64 ones; the engine runs ${engine}`);
    await buildArm64();
    await dockerCli('tag', 'busybox:latest', box);
    await dockerCli('tag', 'httpd:latest', web);
    amdBox = (await imageId(box)) as string;
    armBox = (await imageId(`${box}-arm64`)) as string;
    armWeb = (await imageId(`${web}-arm64`)) as string;
  });

  it('builds the arm64 lab images with an arm64 config, beside the amd64 ones', async () => {
    expect(await architectureOf(`${box}-arm64`)).toBe('arm64');
    expect(await architectureOf(`${web}-arm64`)).toBe('arm64');
    expect(await dockerCli('image', 'inspect', '--format', '{{json .Config.Cmd}} {{json .Config.ExposedPorts}}', `${web}-arm64`)).toBe(
      await dockerCli('image', 'inspect', '--format', '{{json .Config.Cmd}} {{json .Config.ExposedPorts}}', 'httpd:latest'),
    );
    expect(await architectureOf('busybox:latest')).toBe('amd64');
    expect(amdBox).toBe(await imageId('busybox:latest'));
  });

  it('refuses to build arm64 images from a package of another architecture, or for an architecture it does not know', async () => {
    const debs = await mkdtemp(join(dir, 'debs-'));
    const { stdout: version } = await execFileAsync('dpkg-query', ['-W', '-f', '${Version}', 'busybox-static']);
    // A package of the right name and version for amd64, built here: no mirror needed.
    const tree = join(debs, 'tree');
    await mkdir(join(tree, 'DEBIAN'), { recursive: true });
    await writeFile(join(tree, 'DEBIAN', 'control'), `Package: busybox-static\nVersion: ${version}\nArchitecture: amd64\nMaintainer: NetLab tests <test@example.org>\nDescription: stand-in\n`);
    await execFileAsync('dpkg-deb', ['--build', '--root-owner-group', tree, join(debs, 'busybox-static_amd64.deb')]);
    const amd64Deb = 'busybox-static_amd64.deb';
    const script = join(REPO, 'scripts', 'build-lab-images.sh');
    const build = (args: string[], env: Record<string, string>) =>
      execFileAsync('bash', [script, ...args], { cwd: REPO, env: { ...process.env, LAB_IMAGE_PREFIX: `${PREFIX}refused-`, ...env } }).then(
        () => ({ code: 0, stderr: '' }),
        (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
      );
    expect(await build(['--arch', 'arm64'], { BUSYBOX_ARM64_DEB: join(debs, amd64Deb ?? '') })).toEqual({
      code: 1,
      stderr: `${join(debs, amd64Deb ?? '')} is not an arm64 package\n`,
    });
    expect(await build(['--arch', 's390x'], {})).toEqual({ code: 2, stderr: '--arch takes arm64 only (the native images need no option)\n' });
    expect(await imageId(`${PREFIX}refused-busybox:latest-arm64`)).toBeUndefined();
  });

  it('exports each image for both architectures, and import on this amd64 engine loads and tags the amd64 one only', async () => {
    const file = join(dir, 'two-arch.netlab-images.tar');
    const result = await exportImagePack(docker, [box, web], file);
    expect(result.architectures).toEqual(['amd64', 'arm64']);
    const manifest = await readPackManifest(file);
    expect(manifest.version).toBe(2);
    expect(manifest.images).toEqual([
      {
        name: box,
        platforms: [
          { architecture: 'amd64', os: 'linux', id: amdBox },
          { architecture: 'arm64', os: 'linux', variant: 'v8', id: armBox },
        ],
      },
      {
        name: web,
        platforms: [
          { architecture: 'amd64', os: 'linux', id: await imageId('httpd:latest') },
          { architecture: 'arm64', os: 'linux', variant: 'v8', id: armWeb },
        ],
      },
    ]);
    // The arm64 file holds the arm64 configs, as Docker saved them.
    const out = join(dir, 'two-arch');
    await mkdir(out);
    await execFileAsync('tar', ['xf', file, '-C', out]);
    expect((await readdir(out)).sort()).toEqual(['images-amd64.tar', 'images-arm64.tar', 'netlab-pack.json']);
    const config = JSON.parse((await execFileAsync('tar', ['xOf', join(out, 'images-arm64.tar'), `${armBox.slice(7)}.json`])).stdout) as { architecture: string };
    expect(config.architecture).toBe('arm64');

    // Gone from the engine: the arm64 images entirely (only our tags named them), the amd64 names.
    await dockerCli('rmi', `${box}-arm64`, `${web}-arm64`, box, web);
    expect(await imageId(armBox)).toBeUndefined();
    const imported = await importImagePack(docker, file);
    expect(imported).toMatchObject({ images: [box, web], architecture: 'amd64' });
    expect(await imageId(box)).toBe(amdBox);
    expect(await architectureOf(box)).toBe('amd64');
    expect(await architectureOf(web)).toBe('amd64');
    // The arm64 file was not loaded.
    expect(await imageId(armBox)).toBeUndefined();
    expect(await imageId(armWeb)).toBeUndefined();
    await buildArm64();
  });

  it('refuses a pack with arm64 images only, naming arm64 and amd64, and leaves the engine’s image of that name alone', async () => {
    const name = `${PREFIX}armonly:latest`;
    await dockerCli('tag', `${box}-arm64`, name);
    const file = join(dir, 'arm-only.netlab-images.tar');
    const result = await exportImagePack(docker, [name], file);
    expect(result.architectures).toEqual(['arm64']);
    // The learner's own image under that name, which the refused import must not replace.
    await dockerCli('tag', 'busybox:latest', name);
    const phases = new Set<string>();
    const err = await refusal(importImagePack(docker, file, (p) => phases.add(p.phase)));
    expect(err.code).toBe('pack-platform');
    expect(err.message).toBe(
      `this pack holds ${name} for arm64 only, but this engine runs amd64; nothing was loaded. ` +
        `Export the pack again from an engine that has the image for amd64 (${name} itself, or ${name}-amd64 beside it)`,
    );
    expect(phases).toEqual(new Set());
    expect(await imageId(name)).toBe(amdBox);

    // Through the command: exit 1 and the same reason.
    const failed = await runScript('import', file);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(`this pack holds ${name} for arm64 only, but this engine runs amd64`);
    expect(await imageId(name)).toBe(amdBox);
  });

  it('refuses a NAME-arm64 tag that holds another architecture, writing nothing', async () => {
    const name = `${PREFIX}mislabelled:latest`;
    await dockerCli('tag', 'busybox:latest', name);
    await dockerCli('tag', 'httpd:latest', `${name}-arm64`);
    const file = join(dir, 'mislabelled.netlab-images.tar');
    const err = await refusal(exportImagePack(docker, [name], file));
    expect(err.code).toBe('pack-platform-tag');
    expect(err.message).toBe(`${name}-arm64 is an image for amd64, not arm64: image packs take that tag as ${name}'s arm64 image; retag or remove it`);
    expect(await readdir(dir)).not.toContain('mislabelled.netlab-images.tar');
  });

  it('still imports a version 1 pack (as NetLab wrote them before) on its own architecture, and refuses one for arm64', async () => {
    const name = `${PREFIX}old:latest`;
    const saveV1 = async (source: string, file: string): Promise<void> => {
      await dockerCli('tag', source, name);
      const id = (await imageId(name)) as string;
      const saved = join(dir, `${file}.save.tar`);
      await dockerCli('save', '-o', saved, name);
      await writeImagePack(join(dir, file), [{ name, id }], createReadStream(saved));
      await dockerCli('rmi', name);
    };
    await saveV1('busybox:latest', 'old.netlab-images.tar');
    expect((await readPackManifest(join(dir, 'old.netlab-images.tar'))).version).toBe(1);
    const imported = await importImagePack(docker, join(dir, 'old.netlab-images.tar'));
    expect(imported).toMatchObject({ images: [name], architecture: 'amd64' });
    expect(await imageId(name)).toBe(amdBox);
    await dockerCli('rmi', name);

    await saveV1(`${box}-arm64`, 'old-arm.netlab-images.tar');
    const err = await refusal(importImagePack(docker, join(dir, 'old-arm.netlab-images.tar')));
    expect(err.code).toBe('pack-platform');
    expect(err.message).toMatch(new RegExp(`^this pack holds ${name} for arm64 only, but this engine runs amd64; nothing was loaded\\.`));
    expect(await imageId(name)).toBeUndefined();
  });
});

describe('npm run images', () => {
  it('parses its arguments', () => {
    expect(parseImagesArgs(['export', 'p.tar', 'busybox'])).toMatchObject({ command: 'export', file: resolve('p.tar'), images: ['busybox'] });
    expect(parseImagesArgs(['import', 'p.tar'])).toEqual({ command: 'import', file: resolve('p.tar') });
    expect(parseImagesArgs(['import'])).toEqual({ error: 'import needs a FILE' });
    expect(parseImagesArgs(['import', 'a', 'b'])).toMatchObject({ error: expect.stringContaining('one FILE') });
    expect(parseImagesArgs(['frobnicate'])).toEqual({ error: 'unknown command: frobnicate' });
  });

  it('exports the lessons’ images by default, exports and imports named ones, and exits 1 with the reason', async () => {
    const lessons = join(dir, 'lessons-pack');
    const byDefault = await runScript('export', lessons);
    expect(byDefault.stderr).not.toMatch(/^(?!warning:).+/m);
    expect(byDefault.code).toBe(0);
    expect(byDefault.stdout).toContain('images the lessons use: busybox:latest');
    expect((await readPackManifest(lessons)).images.map((i) => i.name)).toContain('busybox:latest');

    await dockerCli('tag', 'busybox:latest', `${PREFIX}script:latest`);
    const file = join(dir, 'script.netlab-images.tar');
    const exported = await runScript('export', file, `${PREFIX}script`);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toMatch(new RegExp(`wrote .*: 1 image\\(s\\) \\(${PREFIX}script:latest\\) for amd64, `));
    await dockerCli('rmi', `${PREFIX}script:latest`);

    const imported = await runScript('import', file);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain(`loaded 1 image(s) for amd64 from ${file}: ${PREFIX}script:latest`);
    expect(await imageId(`${PREFIX}script:latest`)).toBe(await imageId('busybox:latest'));

    const failed = await runScript('import', join(dir, 'absent.tar'));
    expect(failed.code).toBe(1);
    expect(failed.stderr.trim()).toBe(`${join(dir, 'absent.tar')} does not exist`);
  });
});

describe('image packs through the services', () => {
  it("tells the caller how far its export is, by the progress id it chose, in bytes the page formats", async () => {
    const t = await startTestServices('netlab-pack-progress-');
    try {
      const file = join(dir, 'through-services.tar');
      const result = await t.api['images.exportPack']({ file, progressId: 'mine-1' });
      expect(result?.file).toBe(file);
      const events = t.sink.of('images.packProgress');
      expect(new Set(events.map((e) => e.progressId))).toEqual(new Set(['mine-1']));
      expect(new Set(events.map((e) => e.phase))).toEqual(new Set(['save', 'write']));
      expect(events.at(-1)).toMatchObject({ phase: 'write', bytes: result!.bytes, total: result!.bytes });
      // Pulls keep images.progress to themselves.
      expect(t.sink.of('images.progress')).toEqual([]);
    } finally {
      await t.services.dispose();
    }
  });
});
