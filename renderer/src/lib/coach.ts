// Coaching hints as the lesson view keeps them: newest first, a few at most.
import type { CoachHint } from '../../../electron/api/types';

const MAX_COACH_HINTS = 3;

/** A stable key for one hint (the same rule may fire again for another command). */
export function hintKey(hint: CoachHint): string {
  return `${hint.rule}\u0000${hint.command}\u0000${hint.at}`;
}

/** Adds a hint in front, drops an exact repeat and anything beyond `max`. */
export function pushHint(list: readonly CoachHint[], hint: CoachHint, max = MAX_COACH_HINTS): CoachHint[] {
  const key = hintKey(hint);
  // The same rule for the same command again replaces the older callout instead of stacking.
  const rest = list.filter((h) => hintKey(h) !== key && !(h.rule === hint.rule && h.command === hint.command));
  return [hint, ...rest].slice(0, Math.max(0, max));
}

export function dismissHint(list: readonly CoachHint[], key: string): CoachHint[] {
  return list.filter((h) => hintKey(h) !== key);
}
