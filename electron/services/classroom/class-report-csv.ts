import { stuckSignals, type ClassRecord, type StuckPolicy, DEFAULT_STUCK_POLICY } from './class-record';

/**
 * The class report as CSV (RFC 4180): one row per learner who has not left, one column per
 * checkpoint of the lesson. Learners choose their own names, so every cell is escaped against
 * spreadsheet formula injection as well as for CSV.
 */
export function classReportCsv(record: ClassRecord, lessonId: string, now: number, policy: StuckPolicy = DEFAULT_STUCK_POLICY): string {
  const learners = record.learners.filter((l) => !l.left);
  const checkpointIds: string[] = [];
  for (const l of learners) {
    if (l.lessonId !== lessonId) continue;
    for (const id of Object.keys(l.checkpoints)) if (!checkpointIds.includes(id)) checkpointIds.push(id);
  }
  const header = ['learner', 'lesson', 'step', 'passed', ...checkpointIds, 'hints revealed', 'solutions used', 'seconds on step', 'hand raised', 'stuck'];
  const rows = learners.map((l) => {
    const onLesson = l.lessonId === lessonId;
    const cps = checkpointIds.map((id) => {
      const cp = onLesson ? l.checkpoints[id] : undefined;
      if (!cp) return '';
      return cp.status === 'failed' && cp.reason ? `failed: ${cp.reason}` : cp.status;
    });
    const passed = onLesson ? Object.values(l.checkpoints).filter((c) => c.status === 'passed').length : 0;
    const s = stuckSignals(l, now, policy);
    const why = [s.handRaised ? 'hand raised' : '', s.repeatedFailure ? `failing ${s.repeatedFailure}` : '', s.noProgress ? 'no progress' : ''].filter(Boolean).join('; ');
    return [l.name, l.lessonId ?? '', l.stepId ?? '', String(passed), ...cps, String(l.hintsRevealed.length), String(l.solutionsUsed.length), String(l.secondsOnStep), l.handRaised ? 'yes' : 'no', why];
  });
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

export function csvCell(value: string): string {
  // A leading = + - @ (or tab / CR) makes spreadsheets evaluate the cell: prefix a quote mark.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
