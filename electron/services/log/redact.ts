// Scrubs credentials from free text before it is written to a log or a problem
// report: known secrets (the browser-mode token) and anything shaped like one.
const CENSOR = '[redacted]';

const PATTERNS: RegExp[] = [
  // token=…, password: …, api_key=… in URLs, query strings, env dumps, cookies.
  /\b((?:[a-z0-9_]*token|password|passwd|secret|api[_-]?key|auth)["']?\s*[=:]\s*["']?)[^\s&"';,\\]+/gi,
  // HTTP credentials.
  /\b((?:Bearer|Basic)\s+)[A-Za-z0-9._~+/=-]+/g,
  // user:password@ in URLs.
  /(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:)[^@\s/"\\]+(?=@)/gi,
];

/**
 * Long random-looking strings (base64/base64url of 24+ bytes): 32 random
 * characters hold ~13 capitals and ~13 small letters. Docker ids and digests
 * (lowercase hex) and names like netlab-report-2026-11-25T20-01-02Z stay readable.
 */
const TOKEN_LIKE = /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{32,}(?![A-Za-z0-9_-])/g;

function looksRandom(s: string): boolean {
  const count = (re: RegExp): number => s.match(re)?.length ?? 0;
  return count(/[A-Z]/g) >= 4 && count(/[a-z]/g) >= 4 && count(/[0-9]/g) >= 2;
}

export function redactSecrets(text: string, known: readonly string[] = []): string {
  let out = text;
  for (const secret of known) {
    if (secret) out = out.split(secret).join(CENSOR);
  }
  for (const pattern of PATTERNS) out = out.replace(pattern, (_m, keep: string) => `${keep}${CENSOR}`);
  return out.replace(TOKEN_LIKE, (m) => (looksRandom(m) ? CENSOR : m));
}
