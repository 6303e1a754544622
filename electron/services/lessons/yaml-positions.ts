// Maps a path inside parsed YAML (as zod reports it) back to a line and column
// in the source, so every lesson problem points at the node that caused it.
import { isMap, isNode, isPair, isScalar, LineCounter, parseDocument, type Document } from 'yaml';

export interface Position {
  line: number;
  column: number;
}

export interface ParsedYaml {
  doc: Document;
  counter: LineCounter;
  /** Syntax errors with their own 1-based positions; empty when the text parsed. */
  errors: (Position & { message: string })[];
}

export function parseYaml(text: string): ParsedYaml {
  const counter = new LineCounter();
  // prettyErrors off: the message stays one line; we compute the position ourselves.
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const errors = doc.errors.map((e) => ({ ...toPosition(counter, e.pos[0]), message: e.message }));
  return { doc, counter, errors };
}

/**
 * The document as plain data. Resolving aliases can still fail after a clean
 * parse (an alias before its anchor, too many aliases: a "billion laughs"),
 * so that failure is a problem at line 1, never an exception.
 */
export function toData(parsed: ParsedYaml): { value: unknown } | { error: string } {
  try {
    return { value: parsed.doc.toJS({ maxAliasCount: 100 }) ?? null };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

function toPosition(counter: LineCounter, offset: number): Position {
  const { line, col } = counter.linePos(offset);
  return { line, column: col };
}

type PathKey = string | number;

function keysOf(path: readonly PropertyKey[]): PathKey[] {
  return path.filter((k): k is PathKey => typeof k === 'string' || typeof k === 'number');
}

function nodeStart(node: unknown): number | undefined {
  return isNode(node) && node.range ? node.range[0] : undefined;
}

/**
 * Where the node at `path` starts; falls back to the nearest existing parent
 * (a missing key is reported where its map is). With `key`, points at that key
 * of the map at `path` (zod's unrecognized_keys names the key, not a path).
 */
export function positionOf(parsed: ParsedYaml, path: readonly PropertyKey[], key?: string): Position {
  const { doc, counter } = parsed;
  const keys = keysOf(path);
  if (key !== undefined) {
    const map = keys.length === 0 ? doc.contents : doc.getIn(keys, true);
    if (isMap(map)) {
      const pair = map.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key);
      const start = nodeStart(pair?.key);
      if (start !== undefined) return toPosition(counter, start);
    }
  }
  for (let n = keys.length; n > 0; n--) {
    const start = nodeStart(doc.getIn(keys.slice(0, n), true));
    if (start !== undefined) return toPosition(counter, start);
  }
  const root = nodeStart(doc.contents);
  return root !== undefined ? toPosition(counter, root) : { line: 1, column: 1 };
}
