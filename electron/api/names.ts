// The contract's method and event names, free of any dependency so that the
// sandboxed preload can bundle them. contract.ts checks it covers exactly these.
export const METHOD_NAMES = [
  'app.info',
  'app.reportProblem',
  'preflight.run',
  'preflight.doctor',
  'lessons.list',
  'lessons.get',
  'lab.open',
  'lab.close',
  'lab.reset',
  'lab.evaluate',
  'lab.topology',
  'lab.inspectNetwork',
  'lab.conflicts',
  'lab.resolveConflict',
  'progress.get',
  'progress.setStep',
  'progress.reset',
  'progress.export',
  'settings.get',
  'settings.set',
  'lessons.addFolder',
  'lessons.removeFolder',
  'lessons.consent',
  'lessons.allow',
  'lessons.run',
  'quiz.answer',
  'images.pull',
  'images.exportPack',
  'images.importPack',
  'terminal.open',
  'terminal.list',
  'terminal.input',
  'terminal.resize',
  'terminal.ack',
  'terminal.close',
  // ---- classroom (#19): the instructor's hub and the learner's side
  'classroom.host',
  'classroom.stopHosting',
  'classroom.dashboard',
  'classroom.setLesson',
  'classroom.broadcast',
  'classroom.setStuckMinutes',
  'classroom.exportCsv',
  'classroom.sharePreview',
  'classroom.probeHub',
  'classroom.join',
  'classroom.leave',
  'classroom.hand',
  'classroom.learnerState',
  'classroom.offer',
  'classroom.acceptOffer',
  'classroom.declineOffer',
  'classroom.withdrawOffer',
  'classroom.nearby',
  // ---- classroom share (#19): one terminal, read-only
  'classroom.shareTerminal',
  'classroom.stopSharing',
  'classroom.openShare',
  'classroom.closeShare',
  'classroom.exportReport',
  // ---- lesson setup (#20)
  'lab.setup',
  'lab.helpUsed',
] as const;

export const EVENT_NAMES = [
  'terminal.data',
  'terminal.exit',
  'terminal.command',
  'checkpoints.changed',
  'topology.changed',
  'engine.status',
  'images.progress',
  'images.packProgress',
  'coach.hint',
  'operation.progress',
  // ---- classroom (#19)
  'classroom.changed',
  'classroom.learner',
  'classroom.broadcast',
  'classroom.lessonPrompt',
  'classroom.shareOutput',
] as const;

export type MethodName = (typeof METHOD_NAMES)[number];
export type EventName = (typeof EVENT_NAMES)[number];

const methodSet = new Set<string>(METHOD_NAMES);
export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && methodSet.has(name);
}
