// The lab's attribution policy: which containers and networks that appear
// while a lab is open are the lab's doing, and so go in its ledger for a
// reset to remove. What another program creates on the same engine
// meanwhile is left alone.

/**
 * Whether a container or network that just appeared is the lab's doing: it has
 * one of the lesson's names, or a command running in the lab's host shell names
 * it (or is a `docker run`/`create` that lets Docker pick the name).
 */
export function isLabsDoing(
  kind: 'container' | 'network',
  name: string,
  lessonNames: { containers: string[]; networks: string[] } | undefined,
  runningCommands: readonly string[],
): boolean {
  if (lessonNames && (kind === 'container' ? lessonNames.containers : lessonNames.networks).includes(name)) return true;
  const word = new RegExp(`(^|[\\s=:'"])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[\\s'";&|])`);
  return runningCommands.some(
    (cmd) => word.test(cmd) || (kind === 'container' && /\bdocker\s+(container\s+)?(run|create)\b/.test(cmd) && !/--name\b/.test(cmd)),
  );
}
