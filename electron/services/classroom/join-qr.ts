// The QR code on the projector: the hub's address and the full join code (which carries the
// certificate pin), as an SVG for the dashboard and as text for a terminal. Encoding and
// rendering are the qrcode package's; no Electron.
import QRCode from 'qrcode';
import { formatHostPort, parseHostPort, type HubAddress } from './hub-address';
import { parseJoinCode, type JoinCode } from './join-code';

const SCHEME = 'netlab-class://';
/** M: a projector photographed from the back of the room loses a corner now and then. */
const QR_OPTIONS = { errorCorrectionLevel: 'M' as const, margin: 4 };

/** `netlab-class://192.168.1.10:7443/K7QFM-2XD9A.<fingerprint>`: one line a scanner shows as is. */
export function joinPayload(address: HubAddress, fullCode: string): string {
  if (!parseJoinCode(fullCode).fingerprint) throw new Error('The QR code carries the full code (with the hub fingerprint), so a scanned code pins the hub.');
  return `${SCHEME}${formatHostPort(address)}/${fullCode}`;
}

/** Reads a scanned payload back; throws saying what a class QR code holds. */
export function parseJoinPayload(text: string): { address: HubAddress; code: JoinCode & { fingerprint: Buffer } } {
  const m = new RegExp(`^${SCHEME}([^/\\s]+)/([^/\\s]+)$`).exec(text.trim());
  if (!m) throw new Error('This QR code is not a NetLab class code (it starts with netlab-class://). Scan the code on the projector, or type the address and code.');
  const code = parseJoinCode(m[2]!);
  if (!code.fingerprint) throw new Error('This class QR code has no hub fingerprint: type the address and compare the fingerprint with the projector.');
  return { address: parseHostPort(m[1]!), code: { secret: code.secret, fingerprint: code.fingerprint } };
}

/** The module matrix, for anyone who draws it themselves (and the tests, which decode it). */
export function joinQrModules(payload: string): { size: number; dark: (row: number, col: number) => boolean } {
  const { modules } = QRCode.create(payload, QR_OPTIONS);
  return { size: modules.size, dark: (row, col) => Boolean(modules.get(row, col)) };
}

/**
 * An SVG of the code: the library's renderer draws one light `<path>` and one dark `<path>`, no
 * script, text or link (isPlainQrSvg checks, so a sanitiser with only path allowed keeps it).
 */
export async function joinQrSvg(payload: string): Promise<string> {
  const svg = await QRCode.toString(payload, { ...QR_OPTIONS, type: 'svg', color: { dark: '#000000', light: '#ffffff' } });
  if (!isPlainQrSvg(svg)) throw new Error('qrcode produced an SVG with elements other than paths; refusing to show it.');
  return svg.trim();
}

/** True when the only elements are the svg root and path/rect, with no event or link attribute. */
export function isPlainQrSvg(svg: string): boolean {
  const tags = [...svg.matchAll(/<\s*\/?\s*([A-Za-z][\w:-]*)/g)].map((m) => m[1]!.toLowerCase());
  if (tags[0] !== 'svg' || !tags.every((t) => t === 'svg' || t === 'path' || t === 'rect')) return false;
  return !/\son\w+\s*=|href|javascript:|<!|<\?|&/i.test(svg);
}

/**
 * The code for a terminal: half blocks (two modules a character) in black on a white
 * background set with ANSI colours, so it scans on dark and light terminal themes alike.
 */
export async function joinQrTerminal(payload: string): Promise<string> {
  return QRCode.toString(payload, { ...QR_OPTIONS, type: 'terminal', small: true });
}
