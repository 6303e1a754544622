// A lesson's commands as a shell expects them typed: each non-blank line
// trimmed and ended by Enter (\r). Dependency-free: the main process types
// them (lessons.run) and the renderer counts the commands it waits for.
//
// A here-document (`cat > compose.yaml <<'EOF'` … `EOF`) is text, not
// commands: its lines are typed as written (indentation is content in YAML,
// blank lines too), and the whole of it is one command the shell reports.

/** `<<WORD`, `<<'WORD'`, `<<"WORD"`, `<<-WORD`; not a here-string (`<<<`). */
const HEREDOC = /(?<!<)<<(-?)\s*(['"]?)([A-Za-z_][\w.-]*)\2(?!<)/;

interface TypedLine {
  text: string;
  /** The line starts a command (not a here-document's body or its closing word). */
  starts: boolean;
}

function typedLines(text: string): TypedLine[] {
  const out: TypedLine[] = [];
  let closing: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    if (closing !== undefined) {
      if (raw.trim() === closing) {
        out.push({ text: closing, starts: false });
        closing = undefined;
      } else out.push({ text: raw, starts: false });
      continue;
    }
    const line = raw.trim();
    if (line.length === 0) continue;
    out.push({ text: line, starts: true });
    closing = HEREDOC.exec(line)?.[3];
  }
  return out;
}

export function commandsToInput(text: string): string {
  const lines = typedLines(text);
  return lines.length === 0 ? '' : lines.map((l) => l.text).join('\r') + '\r';
}

/** How many commands the input holds (a here-document's lines are part of its command). */
export function commandCount(text: string): number {
  return typedLines(text).filter((l) => l.starts).length;
}
