// Maps a path inside parsed YAML (as zod reports it) back to a line and column
// in the source, so every lesson problem points at the node that caused it.
// Position tracking is slow (the yaml library builds a Document, many times
// the cost of a plain parse), so clean files go through quickData first
// (js-yaml, no positions) and the Document is built only when a problem needs a
// line (bench/scenarios/scale.ts loads 200 lessons this way).
import { load as loadFast, CORE_SCHEMA } from 'js-yaml';
import { isMap, isNode, isPair, isScalar, LineCounter, parseDocument, type Document } from 'yaml';

interface Position {
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

// Dotted words too (an engine condition's body matches labels such as com.docker.compose.project), or a port as
// Docker keys it ("80/tcp" in PortBindings): never a number, the same string in both.
const PLAIN_KEY = /^(?:[A-Za-z_][\w.-]*|\d{1,5}\/(?:tcp|udp|sctp))$/;

/**
 * Plain data for a well-formed file, without positions; undefined whenever
 * only the full parser can say what is wrong or guard against it: syntax
 * errors, duplicate keys, several documents, and aliases of collections (js-yaml
 * shares them by reference, which could make later walks exponential: the
 * full parser's alias limit handles those). Same YAML 1.2 core schema as the
 * yaml library: no timestamps, no merge keys.
 */
export function quickData(text: string): { value: unknown } | undefined {
  // Where js-yaml and the yaml library read the same text differently (found by
  // fuzzing both): tabs, document markers and directives, explicit `?` keys,
  // tags, block-scalar indentation digits, floats too big for a double, a
  // comment glued to a bracket or quote, a collection as a key, an anchor on an
  // anchor. What is left is js-yaml being lenient about a few malformed texts.
  if (/["'\]}[{]#|[\]}][ ]*:(?:\s|$)|[|>][+-]?[ ]*\n\s*#|&\S+\s+&|\t|^(?:---|\.\.\.|%)|(?:^|[\s,[{])(?:\?(?:\s|$)|![^\s=])|[|>][+-]?\d|\de[+-]?\d{3}/im.test(text)) return undefined;
  let value: unknown;
  try {
    value = loadFast(text, { schema: CORE_SCHEMA });
  } catch {
    return undefined;
  }
  const seen = new Set<object>();
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v !== 'object' || v === null) continue;
    if (seen.has(v)) return undefined;
    seen.add(v);
    if (Array.isArray(v)) {
      for (const child of v) stack.push(child);
      continue;
    }
    for (const [key, child] of Object.entries(v)) {
      // The two libraries stringify null and collection keys differently; lesson keys are plain words.
      if (!PLAIN_KEY.test(key) || key === 'null') return undefined;
      stack.push(child);
    }
  }
  return { value: value ?? null };
}

/** Parses with positions on first use only. */
export function lazyParse(text: string): () => ParsedYaml {
  let parsed: ParsedYaml | undefined;
  return () => (parsed ??= parseYaml(text));
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
