// Reads a Content-Security-Policy the way the desktop-shell spec judges the one
// the app's page got: which source list governs scripts, <style> elements and
// plugins (a directive falls back as CSP3 says), and what in them would let
// injected markup run or style the page.
export type Policy = Map<string, string[]>;

export function parsePolicy(header: string): Policy {
  const policy: Policy = new Map();
  for (const part of header.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    // The first of a repeated directive wins.
    if (name && !policy.has(name.toLowerCase())) policy.set(name.toLowerCase(), sources);
  }
  return policy;
}

/** The sources that govern a directive: its own, else its fallbacks', else default-src's. */
export function effectiveSources(policy: Policy, directive: string): string[] | undefined {
  const chain: Record<string, string[]> = {
    'script-src-elem': ['script-src-elem', 'script-src', 'default-src'],
    'style-src-elem': ['style-src-elem', 'style-src', 'default-src'],
    'object-src': ['object-src', 'default-src'],
  };
  for (const name of chain[directive] ?? [directive, 'default-src']) {
    const sources = policy.get(name);
    if (sources) return sources;
  }
  return undefined;
}

/** Everything in the policy that would let injected markup run or style the page; [] when there is nothing. */
export function policyProblems(header: string | undefined): string[] {
  if (!header?.trim()) return ['no Content-Security-Policy'];
  const policy = parsePolicy(header);
  const problems: string[] = [];
  // A nonce or hash makes a CSP3 browser ignore 'unsafe-inline': only a bare one lets inline code in.
  const pinned = (sources: string[]): boolean => sources.some((s) => /^'(nonce|sha256|sha384|sha512)-/.test(s));
  for (const directive of ['script-src-elem', 'style-src-elem']) {
    const sources = effectiveSources(policy, directive);
    if (!sources) problems.push(`${directive}: no source list governs it`);
    else {
      if (sources.includes("'unsafe-inline'") && !pinned(sources)) problems.push(`${directive}: 'unsafe-inline' without a nonce`);
      if (sources.some((s) => s === '*' || s === 'data:' || s === 'blob:')) problems.push(`${directive}: allows ${sources.join(' ')}`);
    }
  }
  const scripts = effectiveSources(policy, 'script-src') ?? [];
  if (scripts.includes("'unsafe-eval'")) problems.push("script-src: 'unsafe-eval'");
  const objects = effectiveSources(policy, 'object-src');
  if (objects?.join(' ') !== "'none'") problems.push(`object-src: ${objects?.join(' ') ?? 'not set'} (expected 'none')`);
  return problems;
}
