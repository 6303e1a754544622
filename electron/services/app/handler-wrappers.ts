// Cross-cutting behaviour laid over the contract's handlers after they are
// built: deadlines and progress for what waits on the engine, and the lab's
// lifecycle in the log. The handlers themselves stay plain.
import type { Handlers, MethodName } from '../../api/contract';
import type { OperationRunner } from '../docker/deadline';
import { log } from '../log/logger';

type AnyHandler = (input: unknown) => Promise<unknown>;

/** What the learner waits for, as the end of "…did not answer within N s while <what>". */
const WAITED: Partial<Record<MethodName, string>> = {
  'lab.open': 'opening the lab (following Docker events, listing containers and networks)',
  'lab.reset': "removing the lab's containers and networks",
  'lab.evaluate': 'checking the checkpoints',
  'lab.topology': 'listing containers and networks',
  'lab.inspectNetwork': 'inspecting a container',
  'lab.conflicts': "looking for the lesson's names",
  'lab.resolveConflict': 'resolving a name conflict',
};

/** What a problem report needs to explain "it did not reset". */
const LOGGED: { [M in MethodName]?: (input: unknown, result: unknown) => Record<string, unknown> } = {
  'lab.open': (input) => ({ lessonId: (input as { lessonId: string }).lessonId }),
  'lab.close': () => ({}),
  'lab.reset': (_input, result) => {
    const r = result as { removedContainers: string[]; removedNetworks: string[]; failed: unknown[] };
    return { removedContainers: r.removedContainers, removedNetworks: r.removedNetworks, failed: r.failed };
  },
};

export function wrapHandlers(handlers: Handlers, runOperation: OperationRunner, closeTerminal: (id: string) => Promise<void>): void {
  const table = handlers as unknown as Record<MethodName, AnyHandler>;
  for (const [method, what] of Object.entries(WAITED) as [MethodName, string][]) {
    const inner = table[method];
    table[method] = (input) => runOperation(method, () => inner(input), { what });
  }
  for (const [method, describe] of Object.entries(LOGGED) as [MethodName, NonNullable<(typeof LOGGED)[MethodName]>][]) {
    const inner = table[method];
    table[method] = async (input) => {
      try {
        const result = await inner(input);
        log.info(`${method} done`, describe(input, result));
        return result;
      } catch (err) {
        log.warn(`${method} failed`, { err });
        throw err;
      }
    };
  }
  const openTerminal = handlers['terminal.open'];
  handlers['terminal.open'] = (input) =>
    input.kind === 'host'
      ? openTerminal(input)
      : runOperation('terminal.open', () => openTerminal(input), {
          what: `opening a shell in ${input.kind === 'container' ? input.container : 'the Docker host view'}`,
          // Nobody waits for a shell that opens after the deadline: close it.
          onLate: (info) => void closeTerminal(info.id).catch(() => undefined),
        });
}
