// Turning pastes into what a shell expects, and the names and links a terminal accepts.

/** Splits large input into chunks the API accepts, never between a surrogate pair. */
export function splitInput(data: string, maxChars = 32 * 1024): string[] {
  if (data.length <= maxChars) return data.length === 0 ? [] : [data];
  const chunks: string[] = [];
  let start = 0;
  while (start < data.length) {
    let end = Math.min(start + maxChars, data.length);
    const last = data.charCodeAt(end - 1);
    // A high surrogate at the cut would orphan its low half in the next chunk.
    if (end < data.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    chunks.push(data.slice(start, end));
    start = end;
  }
  return chunks;
}

/** Docker's own rule for container names (kept in sync with the contract, without pulling zod in). */
const CONTAINER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/;

export function isContainerName(name: string): boolean {
  return CONTAINER_NAME.test(name);
}

/** Only web and mail links may leave the app. */
export function isSafeUrl(url: string): boolean {
  try {
    const parsed = new URL(url.trim());
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' || parsed.protocol === 'mailto:';
  } catch {
    return false;
  }
}

/** Links printed in a terminal: web only. */
export function isWebUrl(url: string): boolean {
  try {
    const parsed = new URL(url.trim());
    return parsed.protocol === 'http:' || parsed.protocol === 'https:';
  } catch {
    return false;
  }
}
