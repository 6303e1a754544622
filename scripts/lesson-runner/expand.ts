// `${ip:CONTAINER@NETWORK}` in a solution command, replaced from the lab's
// live topology before the command is typed (the learner would look it up).
import type { Topology } from '../../electron/api/types';
import { expandTemplates } from '../../electron/services/checkpoints/conditions';

export type Expanded = { ok: true; command: string } | { ok: false; error: string };

export function expandCommand(command: string, topology: Topology): Expanded {
  const result = expandTemplates(command, { container: (name) => topology.containers.find((c) => c.name === name) });
  if ('missing' in result) return { ok: false, error: `cannot expand the address in "${command}": ${result.missing.en}` };
  return { ok: true, command: result.text };
}

/** The line typed into a container or docker-host shell: the command, then a marker only its output can print. */
export function markedLine(command: string, n: number): { line: string; marker: string } {
  // The typed line holds `%s`, never the marker itself, so the echo cannot match.
  return { line: `${command}\rprintf '\\n__NETLAB_DONE_%s__\\n' ${n}\r`, marker: `__NETLAB_DONE_${n}__` };
}
