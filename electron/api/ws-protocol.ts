// How a browser-mode client proves itself on the /api WebSocket, shared by the
// server, the page and the tests. The credential travels in the
// Sec-WebSocket-Protocol header (the one header a browser lets a page set on a
// WebSocket), never in a URL a server or a proxy could log.
//   → protocols [API_PROTOCOL, AUTH_PREFIX + credential]   a session credential
//   → protocols [API_PROTOCOL, LAUNCH_PREFIX + code]       a launch code, once;
//     the server's first frame is then { type: 'session', credential }
// Beside the contract's calls, one transport-level request: an authenticated
// client may mint a launch code for another page (the tests' launch URLs).
//   → { type: 'launch.mint', id }   ← { type: 'launch.code', id, code }

/** The protocol the server picks; a client must offer it. */
export const API_PROTOCOL = 'netlab.v1';
export const AUTH_PREFIX = 'netlab.auth.';
export const LAUNCH_PREFIX = 'netlab.launch.';

/** Credentials and codes are base64url: valid in a protocol token and in a URL fragment. */
export const SECRET_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;

export interface SessionFrame {
  type: 'session';
  credential: string;
}

export interface LaunchCodeFrame {
  type: 'launch.code';
  id: number;
  code: string;
}

export function credentialProtocols(credential: string): string[] {
  return [API_PROTOCOL, AUTH_PREFIX + credential];
}

export function launchProtocols(code: string): string[] {
  return [API_PROTOCOL, LAUNCH_PREFIX + code];
}

/** The id of a `launch.mint` request, or undefined for any other frame. */
export function launchMintId(raw: unknown): number | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const { type, id } = raw as Record<string, unknown>;
  return type === 'launch.mint' && Number.isSafeInteger(id) && (id as number) >= 0 ? (id as number) : undefined;
}
