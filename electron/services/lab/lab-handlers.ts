// The contract's lab methods (and quiz answers, which count in the open lab),
// on top of the lab session. What the learner waits on the engine for runs
// under a deadline (engineCall); the lab's lifecycle goes in the log (logged).
import type Dockerode from 'dockerode';
import type { Handlers, MethodInput } from '../../api/contract';
import { LabError } from '../../api/errors';
import type { ContainerNetworkSettings, QuizAnswer } from '../../api/types';
import { engineCall, type OperationRunner } from '../docker/deadline';
import type { LessonCatalog } from '../lessons/lesson-catalog';
import { logged } from '../log/logged';
import type { LabSession } from './lab-session';

type LabMethod =
  | 'lab.open'
  | 'lab.close'
  | 'lab.reset'
  | 'lab.evaluate'
  | 'lab.topology'
  | 'lab.inspectNetwork'
  | 'lab.conflicts'
  | 'lab.resolveConflict'
  | 'quiz.answer'
  | 'lab.setup'
  | 'lab.helpUsed';

interface LabDeps {
  lab: LabSession;
  lessons: LessonCatalog;
  docker: Dockerode;
  runOperation: OperationRunner;
}

export function createLabHandlers({ lab, lessons, docker, runOperation }: LabDeps) {
  /** Starts tracking (at the first lab) and evaluates every checkpoint. */
  const openLab = logged(
    'lab.open',
    engineCall(runOperation, 'lab.open', 'opening the lab (following Docker events, listing containers and networks)', async ({ lessonId }) =>
      lab.open(lessons.get(lessonId)),
    ),
    ({ lessonId }) => ({ lessonId }),
  );

  const closeLab = logged('lab.close', async () => lab.close());

  const resetLab = logged(
    'lab.reset',
    engineCall(runOperation, 'lab.reset', "removing the lab's containers and networks", () => lab.reset()),
    // What a problem report needs to explain "it did not reset".
    (_input, { removedContainers, removedNetworks, failed }) => ({ removedContainers, removedNetworks, failed }),
  );

  const evaluateLab = engineCall(runOperation, 'lab.evaluate', 'checking the checkpoints', () => lab.evaluate());

  const topology = engineCall(runOperation, 'lab.topology', 'listing containers and networks', async () => (await lab.started()).topology());

  /** Only what the map shows: never a container outside the tracked model (the app's own helpers). */
  const inspectNetwork = engineCall(runOperation, 'lab.inspectNetwork', 'inspecting a container', async ({ container }) => {
    const node = (await lab.started()).container(container);
    if (!node || node.name !== container) throw new LabError(`There is no container "${container}" in the lab.`, 'not-found');
    const info = await docker.getContainer(node.id).inspect();
    const settings = info.NetworkSettings;
    return {
      container: node.name,
      NetworkMode: info.HostConfig?.NetworkMode ?? '',
      SandboxKey: settings?.SandboxKey ?? '',
      Ports: (settings?.Ports ?? {}) as ContainerNetworkSettings['Ports'],
      Networks: (settings?.Networks ?? {}) as unknown as ContainerNetworkSettings['Networks'],
    };
  });

  const conflicts = engineCall(runOperation, 'lab.conflicts', "looking for the lesson's names", async ({ lessonId }) =>
    lab.conflicts(lessons.get(lessonId)),
  );

  const resolveConflict = engineCall(runOperation, 'lab.resolveConflict', 'resolving a name conflict', async ({ lessonId, kind, name, id, action }) =>
    lab.resolveConflict(lessons.get(lessonId), { kind, name, id }, action),
  );

  /** The open lesson's setup, again (after a reset, or once the learner allowed an instructor's lesson). */
  const setupLab = logged(
    'lab.setup',
    // No overall deadline: each command has its own (lab-setup.ts), and the page is told while it runs.
    async ({ lessonId }) =>
      runOperation(
        'lab.setup',
        async () => {
          if (lab.lesson?.lesson.id !== lessonId) throw new LabError(`The lab of lesson ${lessonId} is not open.`, 'no-lab');
          return lab.setup(lab.lesson);
        },
        { what: "setting up the lesson's lab", deadline: false },
      ),
    ({ lessonId }, result) => ({ lessonId, state: result.state }),
  );

  async function answerQuiz({ lessonId, quizId, choice }: MethodInput<'quiz.answer'>): Promise<QuizAnswer> {
    return lab.answer(lessons.get(lessonId), quizId, choice);
  }

  return {
    'lab.open': openLab,
    'lab.close': closeLab,
    'lab.reset': resetLab,
    'lab.evaluate': evaluateLab,
    'lab.topology': topology,
    'lab.inspectNetwork': inspectNetwork,
    'lab.conflicts': conflicts,
    'lab.resolveConflict': resolveConflict,
    'quiz.answer': answerQuiz,
    'lab.setup': setupLab,
    'lab.helpUsed': async ({ lessonId, stepId }: MethodInput<'lab.helpUsed'>): Promise<void> => {
      lab.helpUsed(lessonId, stepId);
    },
  } satisfies Pick<Handlers, LabMethod>;
}
