// Browser mode's classroom flags: `--classroom HOST:PORT` hosts a class beside NetLab (with its
// QR code, announced on the network unless `--no-announce`), `--join HOST:PORT --code CODE`
// joins one, `--classes` lists the classes announced on this network. Plain text for a
// terminal; no Electron.
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { ClassroomHub } from './classroom-hub';
import { announceClass, listClasses, type DiscoveredClass, type MdnsOptions } from './discovery';
import { describeListenHost, formatHostPort, parseHostPort, type HubAddress } from './hub-address';
import { fingerprintForHumans, parseJoinCode, type JoinCode } from './join-code';
import { joinPayload, joinQrTerminal } from './join-qr';
import { LearnerClient, probeHubFingerprint } from './learner-client';
import { LearnerProgressFeed } from './learner-feed';
import { LearnerSession } from './learner-session';
import { LEARNER_NAME_MAX } from './protocol';

export interface ClassroomFlags {
  classroom?: string | undefined;
  join?: string | undefined;
  code?: string | undefined;
  name?: string | undefined;
  /** `--classes`: list the classes on this network, then exit. */
  classes?: boolean | undefined;
  /** `--no-announce`: host without announcing over mDNS. */
  noAnnounce?: boolean | undefined;
}

export type ClassroomPlan =
  | { kind: 'none' }
  | { kind: 'host'; address: HubAddress; announce?: boolean }
  | { kind: 'browse' }
  /** A short code has no fingerprint: the learner compares the hub's with the projector before anything is sent. */
  | { kind: 'join'; address: HubAddress; code: JoinCode; name: string };

/** Checks the flags together; every error says what to type instead. */
export function planClassroom(flags: ClassroomFlags, defaultName: string): ClassroomPlan {
  if (flags.classroom !== undefined && flags.join !== undefined) throw new Error('--classroom hosts a class and --join joins one: give only one of them.');
  if (flags.noAnnounce && flags.classroom === undefined) throw new Error('--no-announce goes with --classroom HOST:PORT (it hosts a class without announcing it on the network).');
  if (flags.classes) {
    if (flags.classroom !== undefined || flags.join !== undefined || flags.code !== undefined || flags.name !== undefined) {
      throw new Error('--classes only lists the classes on this network; then join one with --join HOST:PORT --code CODE.');
    }
    return { kind: 'browse' };
  }
  if (flags.classroom !== undefined) {
    if (flags.code !== undefined) throw new Error('--code is for joining (--join HOST:PORT --code CODE); a hosted class makes its own code.');
    return { kind: 'host', address: parseHostPort(flags.classroom), announce: !flags.noAnnounce };
  }
  if (flags.join === undefined) {
    if (flags.code !== undefined || flags.name !== undefined) throw new Error('--code and --name go with --join HOST:PORT.');
    return { kind: 'none' };
  }
  if (flags.code === undefined) throw new Error('--join needs the class code: --join HOST:PORT --code CODE, as printed by the instructor.');
  const code = parseJoinCode(flags.code);
  const name = (flags.name ?? defaultName).trim().slice(0, LEARNER_NAME_MAX) || 'Learner';
  return { kind: 'join', address: parseHostPort(flags.join), code: { secret: code.secret, fingerprint: code.fingerprint }, name };
}

/** The addresses learners join on: the hub's own, or each external IPv4 address when it listens on all. */
export function joinHosts(hub: ClassroomHub, interfaces: ReturnType<typeof networkInterfaces> = networkInterfaces()): string[] {
  const { host } = hub.address;
  if (host !== '0.0.0.0' && host !== '::') return [host];
  return Object.values(interfaces)
    .flat()
    .filter((a) => a && !a.internal && a.family === 'IPv4')
    .map((a) => a!.address);
}

/** What the instructor's terminal shows once the hub listens. */
export function hostBanner(hub: ClassroomHub, interfaces: ReturnType<typeof networkInterfaces> = networkInterfaces(), dashboardUrl?: string): string[] {
  const { host, port } = hub.address;
  const lines = [
    `Classroom hub listening on ${formatHostPort(hub.address)}: reachable from ${describeListenHost(host, interfaces)}.`,
    `Join code: ${hub.shortCode}`,
    `Hub fingerprint (learners who type the code compare it): ${hub.fingerprintText}`,
    dashboardUrl
      ? `Dashboard (this address works once, within a minute; press Enter here for a new one): ${dashboardUrl}`
      : 'Dashboard: in the app, Home → Classroom (the class record is kept in the data directory, classroom/).',
    'A learner in browser mode joins with:',
    ...joinHosts(hub, interfaces).map((h) => `  npm run serve -- --join ${formatHostPort({ host: h, port })} --code ${hub.fullCode}`),
  ];
  if (hub.warning) lines.unshift(hub.warning);
  return lines;
}

/** The QR code for the projector: the first join address and the full code. */
export async function hostQr(hub: ClassroomHub, joinHost: string): Promise<string[]> {
  const text = await joinQrTerminal(joinPayload({ host: joinHost, port: hub.address.port }, hub.fullCode));
  return ['Learners can scan this (the address and the full code):', ...text.split('\n')];
}

/** What `--classes` prints: each class heard, with the join command it needs (the code is still the instructor's). */
export function classListing(found: readonly DiscoveredClass[], listenedMs: number): string[] {
  const seconds = Math.round(listenedMs / 100) / 10;
  if (found.length === 0) {
    return [
      `No class announced itself on this network in ${seconds} s.`,
      'Ask the instructor for the address and code (the hub may run with --no-announce, or this network may block multicast).',
    ];
  }
  const lines = [`Classes on this network (heard in ${seconds} s). Each still needs the full code from the instructor's screen:`];
  for (const c of found) {
    lines.push(`  "${c.className}" at ${formatHostPort(c.address)}, hub fingerprint ${c.fingerprintText}`);
    lines.push(
      c.compatible
        ? `    npm run serve -- --join ${formatHostPort(c.address)} --code <FULL CODE>   (its fingerprint part must match: the code decides, not this list)`
        : `    made with another NetLab version (classroom protocol ${c.protocolVersion}): update NetLab to join it`,
    );
  }
  return lines;
}

/** `--classes`: listens for `forMs`, then returns the lines to print. */
export async function browseClasses(forMs = 3000, mdns: MdnsOptions = {}): Promise<string[]> {
  return classListing(await listClasses(forMs, mdns), forMs);
}

/** Shown before a learner's app sends anything: joining is an explicit act. */
export function sharedWithClass(name: string): string[] {
  return [
    'Joining shares with the instructor, and nothing else:',
    `  your name: ${name}`,
    '  the lesson and step you are on, and how long you have been on the step',
    '  each checkpoint state with its reason',
    '  hints revealed and solutions used',
    "  the coach's latest hint (its text, not your command)",
    '  a raised hand',
    'Never your terminals, their contents or your commands. Stop NetLab (Ctrl+C) to leave.',
  ];
}

export interface StartOptions {
  via?: HostedElsewhere;
  /**
   * For a short code: shows the hub's fingerprint and answers whether the learner says it is the
   * one on the projector (a terminal prompt). Without it, a short code is refused.
   */
  compare?: (fingerprintText: string) => Promise<boolean>;
}

/** Browser mode hosts through the app's classroom service, whose dashboard the page shows. */
export interface HostedElsewhere {
  host(address: HubAddress, announce: boolean): Promise<{ hub: ClassroomHub; announced: boolean }>;
  /** A fresh dashboard address for the banner. */
  dashboardUrl(): string;
  stop(): Promise<void>;
}

export interface RunningClassroom {
  hub?: ClassroomHub;
  client?: LearnerClient;
  /** Feeds a learner session; no-ops when hosting. */
  onAppEvent(name: string, payload: unknown): void;
  onApiCall(method: string, input: unknown, result: unknown): void;
  stop(): Promise<void>;
}

/**
 * Starts what the plan says; `print` is the terminal. `mdns` is for tests (their own mDNS port);
 * a `browse` plan is browseClasses' and starts nothing here.
 */
export async function startClassroom(
  plan: ClassroomPlan,
  dataDir: string,
  print: (line: string) => void,
  locale: 'en' | 'zh-CN' = 'en',
  mdns: MdnsOptions = {},
  { via, compare }: StartOptions = {},
): Promise<RunningClassroom> {
  const idle: RunningClassroom = { onAppEvent: () => undefined, onApiCall: () => undefined, stop: async () => undefined };
  if (plan.kind === 'none' || plan.kind === 'browse') return idle;
  if (plan.kind === 'host' && via) {
    // The app's own classroom service hosts (and announces) it: its page's dashboard shows this class.
    const { hub, announced } = await via.host(plan.address, plan.announce !== false);
    for (const line of hostBanner(hub, networkInterfaces(), via.dashboardUrl())) print(line);
    const firstJoinHost = joinHosts(hub)[0];
    if (firstJoinHost) for (const line of await hostQr(hub, firstJoinHost)) print(line);
    if (announced) print('Announced on the local network (mDNS) as a class learners can list with --classes; --no-announce turns this off. The code is not announced.');
    hub.on('learner-joined', (l) => print(`classroom: ${l.name} joined`));
    hub.on('learner-left', (l) => print(`classroom: ${l.name} left`));
    return { ...idle, hub, stop: () => via.stop() };
  }
  if (plan.kind === 'host') {
    const hub = await ClassroomHub.start({ ...plan.address, dataDir: join(dataDir, 'classroom') });
    for (const line of hostBanner(hub)) print(line);
    const firstJoinHost = joinHosts(hub)[0];
    if (firstJoinHost) for (const line of await hostQr(hub, firstJoinHost)) print(line);
    let announcement: { stop(): Promise<void> } | undefined;
    if (plan.announce) {
      try {
        let warned = false;
        const onWarning = (err: Error): void => {
          if (!warned) print(`classroom: announcing the class on the network did not work (${err.message}); learners can still join with the command above.`);
          warned = true;
        };
        announcement = announceClass({ address: hub.address, fingerprint: hub.fingerprint, className: hub.classRecord().className }, { ...mdns, onWarning, stopWith: hub });
        print('Announced on the local network (mDNS) as a class learners can list with --classes; --no-announce turns this off. The code is not announced.');
      } catch (err) {
        print(`classroom: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    hub.on('learner-joined', (l) => print(`classroom: ${l.name} joined`));
    hub.on('learner-left', (l) => print(`classroom: ${l.name} left`));
    // The goodbye goes out before the hub closes, so lists drop the class at once.
    const stop = async (): Promise<void> => {
      await announcement?.stop();
      await hub.stop();
    };
    return { ...idle, hub, stop };
  }
  for (const line of sharedWithClass(plan.name)) print(line);
  const fingerprint = plan.code.fingerprint ?? (await comparedFingerprint(plan.address, print, compare));
  if (!fingerprint) return idle;
  const client = new LearnerClient({ ...plan.address, fingerprint, secret: plan.code.secret, name: plan.name });
  const session = new LearnerSession(client, new LearnerProgressFeed(locale));
  client.on('joined', (j) => print(`classroom: joined ${j.className}${j.currentLesson ? `; the instructor suggests the lesson "${j.currentLesson.title}"` : ''}`));
  client.on('refused', (why) => print(why === 'wrong-hub' ? `classroom: ${formatHostPort(plan.address)} is not the class hub of this code (its certificate differs). Nothing was sent. Check the address and code with the instructor.` : `classroom: the hub refused to let you in (${why}).`));
  client.on('reconnecting', ({ delayMs }) => print(`classroom: lost the hub; retrying in ${Math.round(delayMs / 100) / 10} s (you keep working alone meanwhile)`));
  client.on('lesson-prompt', (l) => print(`classroom: the instructor suggests the lesson "${l.title}" (open it when you are ready)`));
  client.on('broadcast', (text) => print(`classroom: instructor says: ${text}`));
  client.on('content-offer', (o) => {
    for (const line of offerLines(o)) print(line);
  });
  client.start();
  return {
    client,
    onAppEvent: (name, payload) => session.onAppEvent(name, payload),
    onApiCall: (method, input, result) => session.onApiCall(method, input, result),
    stop: () => client.leave(),
  };
}

/**
 * What a --join learner reads about an offer. The command line only tells: accepting happens in the
 * page (Home → Join a class, same code), where the offer is reviewed, fetched, verified and, for a
 * lesson folder, its commands shown in the consent dialog. Nothing was fetched here.
 */
export function offerLines(o: { kind: 'lesson-folder' | 'image-pack'; title: string; sizeBytes: number; sha256: string }): string[] {
  return [
    `classroom: the instructor offers ${o.kind === 'image-pack' ? 'an image pack' : 'a lesson folder'} "${o.title}" (${o.sizeBytes} bytes, SHA-256 ${o.sha256}). Nothing was fetched.`,
    '           To accept it, join from the page instead of --join (Home → Join a class, same code): the page shows the offer, and a lesson folder\'s commands wait for your consent there.',
  ];
}

/**
 * The short code alone does not say which computer is the class hub: the learner compares the
 * fingerprint the hub at that address shows with the projector's before anything is sent.
 * Returns the pin, or undefined when the learner said no or cannot be asked (nothing was sent).
 */
async function comparedFingerprint(address: HubAddress, print: (line: string) => void, compare: StartOptions['compare']): Promise<Buffer | undefined> {
  if (!compare) {
    print('classroom: with the short code alone, NetLab must show you the hub fingerprint to compare with the projector, and this terminal cannot ask (not interactive). Use the full code the instructor printed (the short code, "." and the fingerprint). Nothing was sent.');
    return undefined;
  }
  let fingerprint: Buffer;
  try {
    fingerprint = await probeHubFingerprint(address);
  } catch (err) {
    print(`classroom: ${(err as Error).message}. Nothing was sent.`);
    return undefined;
  }
  if (await compare(fingerprintForHumans(fingerprint))) return fingerprint;
  print('classroom: not joined: the fingerprint differs from the projector, so another computer may be answering at this address. Nothing was sent. Check the address with the instructor.');
  return undefined;
}
