// What a lesson can put in a terminal and what it runs by itself: the commands
// a Run names (a block of the text, or part of a step's solution), and the
// whole set a learner consents to for an instructor's lesson. The main process
// answers a Run from the lesson it loaded, never from text the page sends.
import { LabError } from '../../api/errors';
import type { ProbeInfo, RunTarget, SolutionCommand } from '../../api/types';
import type { LoadedLesson } from './lesson-files';

/** The commands a Run names, in order; all go to one terminal. */
export function commandsOf(loaded: LoadedLesson, target: RunTarget): SolutionCommand[] {
  if (target.kind === 'block') {
    const block = loaded.runnable.get(target.block);
    if (!block) throw new LabError(`Lesson ${loaded.lesson.id} has no runnable block "${target.block}".`, 'not-found');
    return [block];
  }
  const step = loaded.lesson.steps.find((s) => s.id === target.stepId);
  const commands = step?.solution.slice(target.from, target.from + target.count) ?? [];
  if (!step || commands.length !== target.count) {
    throw new LabError(`Lesson ${loaded.lesson.id} has no solution commands ${target.from}+${target.count} in step "${target.stepId}".`, 'not-found');
  }
  if (new Set(commands.map((c) => c.terminal)).size !== 1) {
    throw new LabError('One Run types into one terminal: these solution commands go to several.', 'bad-request');
  }
  return commands;
}

/** Every command the lesson can type (solutions and runnable blocks of every locale, each once), every probe, and its setup. */
export function consentScope(loaded: LoadedLesson): { commands: SolutionCommand[]; probes: ProbeInfo[]; setup?: SolutionCommand[] } {
  const commands = new Map<string, SolutionCommand>();
  const add = (c: SolutionCommand): void => {
    commands.set(JSON.stringify([c.terminal, c.command.trim()]), { terminal: c.terminal, command: c.command.trim() });
  };
  for (const step of loaded.lesson.steps) step.solution.forEach(add);
  for (const block of loaded.runnable.values()) add(block);
  const probes = new Map<string, ProbeInfo>();
  for (const def of loaded.defs.values()) {
    for (const c of def.when) if (c.kind === 'probe') probes.set(JSON.stringify([c.container, c.command]), { container: c.container, command: c.command });
  }
  const setup = loaded.lesson.setup ?? [];
  return { commands: [...commands.values()], probes: [...probes.values()], ...(setup.length > 0 ? { setup: [...setup] } : {}) };
}
