// The contract's progress methods: the learner's progress per lesson, the step
// they are on, a reset, and the export they can hand in.
import type { Handlers, MethodInput } from '../../api/contract';
import { LabError } from '../../api/errors';
import type { ProgressExportFiles, ProgressSnapshot } from '../../api/types';
import type { LessonCatalog } from '../lessons/lesson-catalog';
import { buildProgressExport } from './progress-report';
import type { ProgressStore } from './progress-store';

type ProgressMethod = 'progress.get' | 'progress.setStep' | 'progress.reset' | 'progress.export';

interface ProgressDeps {
  progress: ProgressStore;
  lessons: LessonCatalog;
  appVersion: string;
}

export function createProgressHandlers({ progress, lessons, appVersion }: ProgressDeps) {
  async function getProgress(_input: MethodInput<'progress.get'>): Promise<ProgressSnapshot> {
    return progress.snapshot();
  }

  async function setStep({ lessonId, stepId }: MethodInput<'progress.setStep'>): Promise<void> {
    if (!lessons.get(lessonId).lesson.steps.some((s) => s.id === stepId)) {
      throw new LabError(`Lesson ${lessonId} has no step "${stepId}".`, 'not-found');
    }
    await progress.setStep(lessonId, stepId);
  }

  /** Empties the progress file (the learner confirmed in Settings). */
  async function resetProgress(_input: MethodInput<'progress.reset'>): Promise<void> {
    await progress.reset();
  }

  /** JSON and a printable report, over every lesson listed now, in the UI's language. */
  async function exportProgress({ locale }: MethodInput<'progress.export'>): Promise<ProgressExportFiles> {
    await lessons.reload();
    return buildProgressExport({
      locale,
      exportedAt: new Date().toISOString(),
      appVersion,
      lessons: lessons.list().map(({ lesson: l }) => ({ id: l.id, order: l.order, title: l.title, source: l.source, steps: l.steps, checkpoints: l.checkpoints })),
      progress: progress.snapshot().lessons,
    });
  }

  return {
    'progress.get': getProgress,
    'progress.setStep': setStep,
    'progress.reset': resetProgress,
    'progress.export': exportProgress,
  } satisfies Pick<Handlers, ProgressMethod>;
}
