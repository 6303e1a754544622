// Plain text from terminal output, for "the learner saw X" checks: escape
// sequences and control characters go, line breaks stay.
const SEQUENCES = /\x1b\][\s\S]*?(?:\x07|\x1b\\)|\x1b[P^_X][\s\S]*?\x1b\\|\x1b\[[0-?]*[ -/]*[@-~]|\x1b[ -/]*[0-~]/g;
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f]/g;

export function stripAnsi(text: string): string {
  return text.replace(SEQUENCES, '').replace(/\r\n/g, '\n').replace(CONTROLS, '');
}
