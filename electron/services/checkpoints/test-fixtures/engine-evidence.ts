// What the lesson tests decide a checkpoint from without an engine: the relay's records and a
// fixed model of containers. Shared by the tests of the built-in lessons' conditions.
import type { ContainerNode } from '../../../api/types';
import type { EngineRecord } from '../../relay/engine-record';
import type { ConditionContext } from '../conditions';

/** A context holding only these engine records and containers: no commands, output, networks or quiz answers. */
export function recordsContext(records: EngineRecord[], containers: ContainerNode[] = []): ConditionContext {
  return {
    container: (n) => containers.find((c) => c.name === n),
    network: () => undefined,
    commands: () => [],
    engineRecords: () => records,
    output: () => '',
    probeRefusal: () => undefined,
    probe: async () => ({ exitCode: 0, output: '', timedOut: false }),
    quizCorrect: () => false,
  };
}

/** An exec in `container` that finished: `args` split on spaces. */
export function execRecord(container: string, args: string, exitCode = 0): EngineRecord {
  return { seq: 1, at: '', op: 'exec.start', method: 'POST', path: '/exec/e1/start', query: {}, status: 200, durationMs: 1, exec: { container, containerId: `id-${container}`, command: args.split(' '), exitCode } };
}
