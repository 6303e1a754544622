// npm run images -- export FILE [IMAGE…] [--lessons DIR]
// npm run images -- import FILE
// Image packs for offline workshops: export the lessons' images (or the ones
// named) from this machine's engine into one file, import that file on
// machines without a registry. A pack holds each image for every architecture
// the engine has it for (amd64 and arm64: NAME, and NAME-amd64 / NAME-arm64
// beside it); import loads the engine's own. Prints progress and a summary;
// exits 1 with the reason on any error.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDocker } from '../electron/services/docker/client';
import { exportImagePack, importImagePack, lessonImageNames, PACK_EXTENSION, type ExportProgress, type ImportProgress } from '../electron/services/docker/image-pack';
import { loadLessons } from '../electron/services/lessons/loader';

const DEFAULT_LESSONS = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'lessons');

const USAGE = [
  'usage:',
  `  npm run images -- export FILE [IMAGE…] [--lessons DIR]   save images into FILE (e.g. course${PACK_EXTENSION});`,
  '                                                            without IMAGEs: every image the lessons declare;',
  '                                                            each for amd64 and arm64 where the engine has both',
  '                                                            (IMAGE and IMAGE-arm64, e.g. busybox:latest-arm64)',
  "  npm run images -- import FILE                              load a pack's images for this engine's architecture",
].join('\n');

export type ImagesCommand =
  | { command: 'export'; file: string; images: string[]; lessons: string }
  | { command: 'import'; file: string }
  | { command: 'help' };

export function parseImagesArgs(argv: string[]): ImagesCommand | { error: string } {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') return { command: 'help' };
  let lessons = DEFAULT_LESSONS;
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] ?? '';
    if (arg === '--lessons') {
      const value = rest[++i];
      if (!value) return { error: '--lessons needs a folder' };
      lessons = resolve(value);
    } else if (arg.startsWith('--lessons=')) {
      lessons = resolve(arg.slice('--lessons='.length));
    } else if (arg.startsWith('-')) {
      return { error: `unknown option: ${arg}` };
    } else {
      positional.push(arg);
    }
  }
  const [file, ...images] = positional;
  if (command === 'export') {
    if (!file) return { error: 'export needs a FILE' };
    return { command, file: resolve(file), images, lessons };
  }
  if (command === 'import') {
    if (!file) return { error: 'import needs a FILE' };
    if (images.length > 0) return { error: `import takes one FILE, not also ${images.join(' ')}` };
    if (lessons !== DEFAULT_LESSONS) return { error: '--lessons is for export only' };
    return { command, file: resolve(file) };
  }
  return { error: `unknown command: ${command}` };
}

/** Every image the loaded lessons declare, normalised, in lesson order, once each. */
export async function lessonImages(root: string): Promise<{ images: string[]; problems: string[] }> {
  const { lessons, problems } = await loadLessons(root, 'builtin');
  return { images: lessonImageNames(lessons), problems: problems.map((p) => `${p.file}:${p.line}: ${p.message}`) };
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** One progress line, rewritten in place on a terminal, printed per phase otherwise. */
function progressPrinter(): { show: (p: ExportProgress | ImportProgress) => void; end: () => void } {
  const tty = process.stdout.isTTY === true;
  const words: Record<string, string> = { save: 'saving from the engine', write: 'written', verify: 'verifying', load: 'loading into the engine' };
  let lastPhase = '';
  let open = false;
  return {
    show(p) {
      const total = p.total !== undefined ? ` of ${formatBytes(p.total)}` : '';
      const percent = p.total ? ` (${Math.floor((100 * p.bytes) / p.total)}%)` : '';
      const line = `${words[p.phase] ?? p.phase}: ${formatBytes(p.bytes)}${total}${percent}`;
      if (tty) {
        process.stdout.write(`\r\u001b[2K${line}`);
        open = true;
      } else if (p.phase !== lastPhase) {
        process.stdout.write(`${words[p.phase] ?? p.phase}…\n`);
      }
      lastPhase = p.phase;
    },
    end() {
      if (open) process.stdout.write('\n');
      open = false;
    },
  };
}

async function main(argv: string[]): Promise<number> {
  const parsed = parseImagesArgs(argv);
  if ('error' in parsed) {
    console.error(`${parsed.error}\n${USAGE}`);
    return 1;
  }
  if (parsed.command === 'help') {
    console.log(USAGE);
    return 0;
  }
  const { docker, endpoint } = createDocker();
  const progress = progressPrinter();
  try {
    if (parsed.command === 'export') {
      let images = parsed.images;
      if (images.length === 0) {
        const found = await lessonImages(parsed.lessons);
        for (const problem of found.problems) console.error(`warning: ${problem}`);
        if (found.images.length === 0) throw new Error(`the lessons in ${parsed.lessons} declare no images: name the images to export`);
        images = found.images;
        console.log(`images the lessons use: ${images.join(', ')}`);
      }
      console.log(`exporting from ${endpoint} to ${parsed.file}`);
      const result = await exportImagePack(docker, images, parsed.file, progress.show);
      progress.end();
      console.log(
        `wrote ${result.file}: ${result.images.length} image(s) (${result.images.join(', ')}) for ${result.architectures.join(' and ')}, ${formatBytes(result.bytes)}`,
      );
    } else {
      console.log(`importing ${parsed.file} into ${endpoint}`);
      const result = await importImagePack(docker, parsed.file, progress.show);
      progress.end();
      console.log(`loaded ${result.images.length} image(s) for ${result.architecture} from ${result.file}: ${result.images.join(', ')} (${formatBytes(result.bytes)})`);
    }
    return 0;
  } catch (err) {
    progress.end();
    console.error(err instanceof Error ? err.message : String(err));
    return 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exit(1);
    },
  );
}
