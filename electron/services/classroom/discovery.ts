// "Classes on this network": the hub announces itself over mDNS / DNS-SD (RFC 6762/6763) and
// learners browse for it, through bonjour-service (which drives multicast-dns). No Electron.
//
// What travels is public: the class name, the hub certificate's fingerprint and the protocol
// version, never the code. Everything a browser hears is untrusted input from the network: the
// TXT record is parsed strictly here (not with the library's loose decoder), capped, and
// stripped of control characters; and a discovered class is only a hint. Joining still needs the
// code, and the pin comes from the code (or from the learner comparing the fingerprint with the
// projector), never from mDNS alone: see pinForDiscoveredClass.
import { EventEmitter } from 'node:events';
import { isIP, isIPv4 } from 'node:net';
import { Bonjour, type Browser, type Service } from 'bonjour-service';
import { z } from 'zod';
import type { HubAddress } from './hub-address';
import { fingerprintForHumans, formatFullCode, parseJoinCode } from './join-code';
import { PROTOCOL_VERSION } from './protocol';

/** `_netlab-class._tcp.local`. */
export const CLASS_SERVICE_TYPE = 'netlab-class';
export const CLASS_NAME_MAX = 64;
/** A real TXT is about 90 bytes; anything much larger is not ours. */
const TXT_MAX_BYTES = 400;
const TXT_MAX_ENTRIES = 8;
/** A flood of fake classes must not grow the list without bound. */
export const DISCOVERED_MAX = 50;

export interface MdnsOptions {
  /**
   * The IPv4 address of the interface to announce or browse on. Unset: every interface (what
   * multicast-dns does by default). The hub passes the address it listens on.
   */
  interface?: string | undefined;
  /** The mDNS port: 5353 on a real network; tests use their own, so they never reach the LAN. */
  port?: number;
  /** Socket errors and send failures (no network, say): mDNS is best effort and never fatal. */
  onWarning?: (err: Error) => void;
}

/** What a hub needs to announce; ClassroomHub has all of it. */
export interface AnnouncedHub {
  address: HubAddress;
  fingerprint: Buffer;
  className: string;
}

export interface ClassAnnouncement {
  /** Says goodbye (TTL 0) so browsers drop the class at once, then closes the socket. */
  stop(): Promise<void>;
}

/** One class heard on the network. A hint: joining still needs the code. */
export interface DiscoveredClass {
  /** The DNS-SD instance name (lower case): stable for one hub. */
  id: string;
  /** Sanitised: no control or format characters, at most CLASS_NAME_MAX characters. */
  className: string;
  /** Where the announcement came from, and the hub's port (from its SRV record). */
  address: HubAddress;
  /** The hub certificate's SHA-256 as announced: must match the code's, never replaces it. */
  fingerprint: Buffer;
  /** For the learner to compare with the projector. */
  fingerprintText: string;
  protocolVersion: number;
  /** False for a hub that speaks another protocol version: listed, but this app cannot join it. */
  compatible: boolean;
}

/** The base32 fingerprint as join codes write it (52 characters of Crockford's alphabet). */
const FINGERPRINT_TEXT = /^[0-9A-HJKMNP-TV-Z]{52}$/;

const ClassTxt = z.object({
  v: z.string().regex(/^[0-9]{1,3}$/),
  name: z.string().min(1).max(CLASS_NAME_MAX * 4),
  fp: z.string().regex(FINGERPRINT_TEXT),
});

/** Control and format characters (C0, C1, bidi overrides, zero-width) never reach a screen. */
export function sanitiseClassName(name: string): string {
  return name
    .replace(/\s+/g, ' ')
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .trim()
    .slice(0, CLASS_NAME_MAX);
}

function fingerprintBase32(fingerprint: Buffer): string {
  return formatFullCode('0000000000', fingerprint).split('.')[1]!;
}

function decodeFingerprint(text: string): Buffer | null {
  try {
    return parseJoinCode(`0000000000.${text}`).fingerprint;
  } catch {
    return null;
  }
}

/** The hub's TXT record, in the order written. */
export function classTxt(hub: AnnouncedHub): Record<string, string> {
  return { v: String(PROTOCOL_VERSION), name: sanitiseClassName(hub.className) || 'NetLab class', fp: fingerprintBase32(hub.fingerprint) };
}

/**
 * Parses a raw TXT record (RFC 6763 §6): each string `key=value`, UTF-8, keys compared without
 * case, the first occurrence of a key wins. Null for anything oversized or not UTF-8.
 */
export function parseTxt(strings: readonly Buffer[]): Record<string, string> | null {
  if (strings.length > TXT_MAX_ENTRIES || strings.reduce((n, s) => n + s.length, 0) > TXT_MAX_BYTES) return null;
  const out = new Map<string, string>();
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  for (const s of strings) {
    let text: string;
    try {
      text = utf8.decode(s);
    } catch {
      return null;
    }
    const eq = text.indexOf('=');
    const key = (eq < 0 ? text : text.slice(0, eq)).toLowerCase();
    if (!/^[a-z]{1,8}$/.test(key)) continue;
    if (!out.has(key)) out.set(key, eq < 0 ? '' : text.slice(eq + 1));
  }
  return Object.fromEntries(out);
}

/** A service as bonjour-service reports it, checked field by field; null when anything is off. */
export function validateService(service: Pick<Service, 'fqdn' | 'port' | 'referer'> & { rawTxt?: unknown }): DiscoveredClass | null {
  const id = typeof service.fqdn === 'string' ? service.fqdn.toLowerCase() : '';
  if (id.length === 0 || id.length > 255) return null;
  const host = service.referer?.address;
  if (typeof host !== 'string' || isIP(host) === 0) return null;
  if (!Number.isInteger(service.port) || service.port < 1 || service.port > 65535) return null;
  const raw = service.rawTxt;
  if (!Array.isArray(raw) || !raw.every((b) => Buffer.isBuffer(b))) return null;
  const txt = parseTxt(raw as Buffer[]);
  const parsed = txt && ClassTxt.safeParse(txt);
  if (!parsed?.success) return null;
  const className = sanitiseClassName(parsed.data.name);
  const fingerprint = decodeFingerprint(parsed.data.fp);
  if (!className || !fingerprint) return null;
  const protocolVersion = Number(parsed.data.v);
  return {
    id,
    className,
    address: { host, port: service.port },
    fingerprint,
    fingerprintText: fingerprintForHumans(fingerprint),
    protocolVersion,
    compatible: protocolVersion === PROTOCOL_VERSION,
  };
}

/** A DNS label holds 63 bytes; the fingerprint's start keeps two classes with one name apart. */
export function instanceName(hub: AnnouncedHub): string {
  const tag = ` [${fingerprintBase32(hub.fingerprint).slice(0, 8)}]`;
  let name = (sanitiseClassName(hub.className) || 'NetLab class').replace(/\./g, '-');
  while (Buffer.byteLength(name + tag) > 63) name = name.slice(0, -1);
  return name + tag;
}

function mdnsOptions(opts: MdnsOptions): Record<string, unknown> {
  // Bound to 0.0.0.0 even with an interface: on Linux a socket bound to a unicast address
  // receives no multicast.
  return { ...(opts.interface ? { interface: opts.interface, bind: '0.0.0.0' } : {}), ...(opts.port ? { port: opts.port } : {}) };
}

/** bonjour-service keeps its multicast-dns instance private; we need its events. */
function mdnsOf(bonjour: Bonjour): EventEmitter {
  return (bonjour as unknown as { server: { mdns: EventEmitter } }).server.mdns;
}

function newBonjour(opts: MdnsOptions): Bonjour {
  const warn = opts.onWarning ?? ((): void => undefined);
  const bonjour = new Bonjour(mdnsOptions(opts), (err: Error) => warn(err));
  const mdns = mdnsOf(bonjour);
  // multicast-dns emits 'error' for EACCES/EADDRINUSE: unhandled, that would end the process.
  mdns.on('error', (err: Error) => warn(err));
  mdns.on('warning', (err: Error) => warn(err));
  return bonjour;
}

const GIVE_UP_MS = 2_000;

function closeQuietly(bonjour: Bonjour, done: () => void): void {
  try {
    bonjour.destroy(() => done());
  } catch {
    done(); // a socket that never bound cannot close
  }
}

/** The interface to announce on for a hub address; undefined = every interface. */
export function announceInterface(host: string): string | undefined {
  if (host === '0.0.0.0' || host === '::') return undefined;
  if (isIPv4(host)) return host;
  throw new Error(`The class is not announced on the network: announcing works for IPv4 addresses, and ${host} is not one. Learners join with the printed command.`);
}

/**
 * Announces the hub until stop(). With `stopWith`, the announcement also ends when that emitter
 * says 'stopping' (ClassroomHub does, first thing in stop()).
 */
export function announceClass(hub: AnnouncedHub, opts: MdnsOptions & { stopWith?: EventEmitter } = {}): ClassAnnouncement {
  const bonjour = newBonjour({ ...opts, interface: opts.interface ?? announceInterface(hub.address.host) });
  const service = bonjour.publish({ name: instanceName(hub), type: CLASS_SERVICE_TYPE, port: hub.address.port, txt: classTxt(hub), disableIPv6: true });
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= new Promise<void>((resolve) => {
      opts.stopWith?.off('stopping', onHubStopping);
      // Quitting must not hang on a network that swallows the goodbye's send callback.
      setTimeout(resolve, GIVE_UP_MS).unref();
      const close = (): void => closeQuietly(bonjour, resolve);
      try {
        service.stop?.(close);
      } catch {
        close();
      }
    });
    return stopped;
  };
  const onHubStopping = (): void => void stop();
  opts.stopWith?.once('stopping', onHubStopping);
  return { stop };
}

export interface BrowseOptions extends MdnsOptions {
  /** How often to ask again; answers keep a class listed. */
  refreshMs?: number;
  /** A class not heard from for this long is dropped (a hub that crashed says no goodbye). */
  staleAfterMs?: number;
  now?: () => number;
}

export interface ClassBrowserEvents {
  found: [DiscoveredClass];
  changed: [DiscoveredClass];
  lost: [DiscoveredClass];
}

/** The live list of classes on this network. */
export class ClassBrowser extends EventEmitter<ClassBrowserEvents> {
  private readonly bonjour: Bonjour;
  private readonly browser: Browser;
  private readonly lastSeen = new Map<string, number>();
  private current = new Map<string, DiscoveredClass>();
  private readonly timer: NodeJS.Timeout;
  private readonly now: () => number;
  private readonly staleAfterMs: number;
  private stopped: Promise<void> | undefined;

  constructor(opts: BrowseOptions = {}) {
    super();
    this.now = opts.now ?? Date.now;
    const refreshMs = opts.refreshMs ?? 10_000;
    this.staleAfterMs = opts.staleAfterMs ?? 3 * refreshMs + 5_000;
    this.bonjour = newBonjour(opts);
    this.browser = this.bonjour.find({ type: CLASS_SERVICE_TYPE });
    // After the browser's own listener (added by find), so its list is up to date here.
    mdnsOf(this.bonjour).on('response', (packet: { answers: MdnsRecord[]; additionals: MdnsRecord[] }) => this.onResponse(packet));
    this.browser.on('down', () => this.refresh());
    this.timer = setInterval(() => {
      this.browser.update();
      this.refresh();
    }, refreshMs);
    this.timer.unref();
  }

  list(): DiscoveredClass[] {
    return [...this.current.values()];
  }

  stop(): Promise<void> {
    this.stopped ??= new Promise<void>((resolve) => {
      clearInterval(this.timer);
      this.browser.stop();
      closeQuietly(this.bonjour, resolve);
    });
    return this.stopped;
  }

  private onResponse(packet: { answers: MdnsRecord[]; additionals: MdnsRecord[] }): void {
    const t = this.now();
    for (const rr of [...(packet.answers ?? []), ...(packet.additionals ?? [])]) {
      if (rr.type === 'SRV' && typeof rr.name === 'string' && rr.ttl > 0) this.lastSeen.set(rr.name.toLowerCase(), t);
    }
    this.refresh();
  }

  private refresh(): void {
    const t = this.now();
    for (const [id, seen] of this.lastSeen) if (t - seen > this.staleAfterMs) this.lastSeen.delete(id);
    const next = new Map<string, DiscoveredClass>();
    for (const service of this.browser.services) {
      if (next.size >= DISCOVERED_MAX) break;
      const entry = validateService(service as Service & { rawTxt?: unknown });
      if (entry && this.lastSeen.has(entry.id)) next.set(entry.id, entry);
    }
    const before = this.current;
    this.current = next;
    for (const [id, entry] of before) if (!next.has(id)) this.emit('lost', entry);
    for (const [id, entry] of next) {
      const old = before.get(id);
      if (!old) this.emit('found', entry);
      else if (!sameClass(old, entry)) this.emit('changed', entry);
    }
  }
}

interface MdnsRecord {
  type: string;
  name: string;
  ttl: number;
}

function sameClass(a: DiscoveredClass, b: DiscoveredClass): boolean {
  return a.className === b.className && a.address.host === b.address.host && a.address.port === b.address.port && a.fingerprint.equals(b.fingerprint) && a.protocolVersion === b.protocolVersion;
}

/** Lists the classes heard within `forMs`, then stops browsing. */
export async function listClasses(forMs: number, opts: BrowseOptions = {}): Promise<DiscoveredClass[]> {
  const browser = new ClassBrowser(opts);
  await new Promise((resolve) => setTimeout(resolve, forMs));
  const found = browser.list();
  await browser.stop();
  return found;
}

/**
 * The certificate pin for joining a class picked from the list. The code decides, mDNS only
 * hints: a full code must carry the very fingerprint the class announced (else it is another
 * class's code, or the announcement is an impostor's); with the short code alone, the learner
 * must have compared the fingerprint with the projector and typed or confirmed what they saw.
 */
export function pinForDiscoveredClass(entry: DiscoveredClass, typedCode: string, comparedWithProjector?: string): { secret: string; fingerprint: Buffer } {
  const code = parseJoinCode(typedCode);
  if (code.fingerprint) {
    if (!code.fingerprint.equals(entry.fingerprint)) {
      throw new Error(`This code is not for "${entry.className}": the class on the network has another fingerprint. Check the class you picked, or join with the address and code on the projector.`);
    }
    return { secret: code.secret, fingerprint: code.fingerprint };
  }
  const seen = (comparedWithProjector ?? '').toUpperCase().replace(/[\s-]/g, '');
  if (seen !== entry.fingerprintText.replace(/ /g, '')) {
    throw new Error(
      comparedWithProjector === undefined
        ? `Compare the fingerprint first: "${entry.className}" shows ${entry.fingerprintText}. Join only if the projector shows the same.`
        : `The fingerprint on the projector is not the one "${entry.className}" announced (${entry.fingerprintText}): this may be an impostor. Do not join; tell the instructor.`,
    );
  }
  return { secret: code.secret, fingerprint: entry.fingerprint };
}
