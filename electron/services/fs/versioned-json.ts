// The app's own JSON files (progress, settings) are read the same way: a
// missing file is "nothing yet", a broken or newer-format one is set aside
// beside itself with a message, never fatal and never overwritten.
import { readFile, rename } from 'node:fs/promises';
import type { z } from 'zod';

type VersionedRead<T> = { data: T } | { data?: undefined; setAsideAs?: string; why?: string };

/** Why text is not a valid file of this schema, in words for the learner. */
function describeProblem(text: string, currentVersion: number): string {
  try {
    const version = (JSON.parse(text) as { version?: unknown }).version;
    return typeof version === 'number' && version > currentVersion
      ? `written by a newer version of the app (format ${version})`
      : 'not in the expected format';
  } catch {
    return 'not valid JSON (truncated or corrupt)';
  }
}

/** The parsed file, or undefined when the text is not valid against the schema. */
export function parseVersioned<S extends z.ZodType>(schema: S, text: string): z.infer<S> | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads file against schema. Missing: `{}`. Valid: `{ data }`. Broken: the file
 * is renamed to `<file>.broken-<time>` and the new name and the reason returned.
 */
export async function readVersionedJson<S extends z.ZodType>(file: string, schema: S, currentVersion: number): Promise<VersionedRead<z.infer<S>>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
  const data = parseVersioned(schema, text);
  if (data !== undefined) return { data };
  const setAsideAs = `${file}.broken-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  await rename(file, setAsideAs);
  return { setAsideAs, why: describeProblem(text, currentVersion) };
}
