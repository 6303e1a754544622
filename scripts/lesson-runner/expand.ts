// `${ip:CONTAINER@NETWORK}` in a solution command, replaced from the lab's
// live topology before the command is typed (the learner would look it up);
// and the lines typed into shells that report no commands, with a marker the
// runner waits for.
import { basename } from 'node:path';
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

/**
 * The line typed into a host shell that reports no commands (no prompt marks:
 * dash, or any shell without the app's integration): the command, then on the
 * same line a printf of a marker with its exit status. One line, so nothing is
 * typed ahead while the command runs (a command that reads its input would
 * take it) and its output follows its own line as the learner would see it.
 * The marker holds no docker call, so the engine records only the command's.
 * (A command that ends in a `#` comment would comment the marker out.)
 */
export function hostMarkedLine(command: string, n: number, shell?: string): { line: string; done: RegExp } {
  // fish names the last exit status $status ($? is an error there); every other shell here is POSIX.
  const status = shell !== undefined && /^fish$/.test(basename(shell)) ? '$status' : '"$?"';
  // After `cmd &` or `cmd;` a further `;` would be a syntax error. A command of several lines (a
  // here-document) gets the marker on a line of its own: after the closing word, `; printf` would
  // keep the here-document open. `$?` there is still the command's status.
  const body = command.trimEnd();
  const separator = body.includes('\n') ? '\n' : /(?:^|[^&])&$|;$/.test(body) ? ' ' : '; ';
  // The typed line holds `%s`, never the marker itself, so the echo cannot match.
  return { line: `${body}${separator}printf '\\n__NETLAB_DONE_%s_%s__\\n' ${n} ${status}\r`, done: new RegExp(`__NETLAB_DONE_${n}_(\\d+)__`) };
}
