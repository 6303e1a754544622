// The contract's image methods and the engine check: the preflight, image
// pulls, and image packs for offline workshops. Pulls and packs stream for as
// long as they need; only an engine silent for the deadline fails them.
import type Dockerode from 'dockerode';
import type { EventSink, Handlers, MethodInput } from '../../api/contract';
import { LabError } from '../../api/errors';
import type { DoctorFindings, ImagePackResult, Preflight } from '../../api/types';
import type { LessonCatalog } from '../lessons/lesson-catalog';
import { withIdleDeadline, type OperationRunner } from './deadline';
import { exportImagePack, importImagePack, lessonImageNames } from './image-pack';
import { pullImage } from './images';
import type { DoctorFindingsCache } from './doctor-findings';
import { runPreflight } from './preflight';

type ImageMethod = 'preflight.run' | 'preflight.doctor' | 'images.pull' | 'images.exportPack' | 'images.importPack';

/**
 * The desktop app's own file dialog for a pack, or for what an instructor offers the class
 * (a lesson folder, a pack); undefined: cancelled.
 */
export type ChooseFile = (purpose: 'export-pack' | 'import-pack' | 'offer-folder' | 'offer-pack') => Promise<string | undefined>;

/**
 * The verified import of one pack file, with the engine deadline and progress events: what
 * images.importPack runs once it has the file, and what a class's accepted image pack goes through.
 */
export function createPackImporter({ docker, endpoint, engineTimeoutMs, sink }: Pick<ImageDeps, 'docker' | 'endpoint' | 'engineTimeoutMs' | 'sink'>) {
  return function importPackFile(file: string, progressId?: string): Promise<ImagePackResult> {
    return withIdleDeadline({ timeoutMs: engineTimeoutMs, endpoint, what: 'importing the image pack (no progress)' }, (touch) =>
      importImagePack(docker, file, (p) => {
        touch();
        if (progressId) sink.emit('images.packProgress', { progressId, ...p });
      }),
    );
  };
}

interface ImageDeps {
  docker: Dockerode;
  endpoint: string;
  /** Where the endpoint search looked: preflight names it when the engine does not answer. */
  tried?: readonly string[];
  engineTimeoutMs: number;
  runOperation: OperationRunner;
  lessons: LessonCatalog;
  /** Receives 'images.progress' and 'images.packProgress'. */
  sink: EventSink;
  /**
   * The desktop app's own file dialogs: image packs are then read and written only where the
   * learner chose in them, never at a path the page sends.
   */
  chooseFile?: ChooseFile;
  /** The lab doctor's findings, shared with the lab and the problem report. */
  doctor: DoctorFindingsCache;
}

export function createImageHandlers({ docker, endpoint, tried = [], engineTimeoutMs, runOperation, lessons, sink, chooseFile, doctor }: ImageDeps) {
  const importPackFile = createPackImporter({ docker, endpoint, engineTimeoutMs, sink });
  /** The engine and the course's images. It has its own per-call deadlines and reports a timeout as a problem, not an error. */
  async function preflight(_input: MethodInput<'preflight.run'>): Promise<Preflight> {
    return runOperation('preflight.run', () => runPreflight(docker, endpoint, lessons.images(), Math.min(3000, engineTimeoutMs), tried), {
      what: 'checking the engine',
      deadline: false,
    });
  }

  /** The lab doctor, run anew: its probes have their own deadlines, and a probe that fails is a finding. */
  async function examine(_input: MethodInput<'preflight.doctor'>): Promise<DoctorFindings | null> {
    return (await doctor.refresh()) ?? null;
  }

  /** A pull may rightly take minutes; only silence longer than the engine deadline fails it. */
  async function pull({ image }: MethodInput<'images.pull'>): Promise<void> {
    await pullImage(docker, image, (p) => sink.emit('images.progress', p), { idleTimeoutMs: engineTimeoutMs, endpoint });
  }

  async function exportPack({ file: given, progressId }: MethodInput<'images.exportPack'>): Promise<ImagePackResult | null> {
    const file = await packFile('export-pack', given);
    if (!file) return null;
    return withIdleDeadline({ timeoutMs: engineTimeoutMs, endpoint, what: 'exporting the image pack (no progress)' }, (touch) =>
      exportImagePack(docker, lessonImageNames(lessons.list()), file, (p) => {
        touch();
        if (progressId) sink.emit('images.packProgress', { progressId, ...p });
      }),
    );
  }

  async function importPack({ file: given, progressId }: MethodInput<'images.importPack'>): Promise<ImagePackResult | null> {
    const file = await packFile('import-pack', given);
    if (!file) return null;
    return importPackFile(file, progressId);
  }

  /** The pack file: from the desktop app's own dialog when it has one (a path from the page is refused), else the one given. */
  async function packFile(purpose: 'export-pack' | 'import-pack', given: string | undefined): Promise<string | undefined> {
    if (chooseFile) {
      if (given !== undefined) throw new LabError('In the desktop app the image pack file is chosen in its own dialog.', 'bad-request');
      return chooseFile(purpose);
    }
    if (given === undefined) throw new LabError('Give the path of the image pack file.', 'invalid');
    return given;
  }

  return {
    'preflight.run': preflight,
    'preflight.doctor': examine,
    'images.pull': pull,
    'images.exportPack': exportPack,
    'images.importPack': importPack,
  } satisfies Pick<Handlers, ImageMethod>;
}
