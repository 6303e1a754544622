// A lesson's commands as a shell expects them typed: each non-blank line
// trimmed and ended by Enter (\r). Dependency-free: the main process types
// them (lessons.run) and the renderer counts the commands it waits for.

export function commandsToInput(text: string): string {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  return lines.length === 0 ? '' : lines.join('\r') + '\r';
}

/** How many commands (Enters) the input holds. */
export function commandCount(text: string): number {
  return commandsToInput(text).split('\r').length - 1;
}
