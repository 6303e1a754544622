// Browser mode's classroom flags: `--classroom HOST:PORT` hosts a class beside NetLab,
// `--join HOST:PORT --code CODE` joins one. Plain text for a terminal; no Electron.
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { ClassroomHub } from './classroom-hub';
import { describeListenHost, formatHostPort, parseHostPort, type HubAddress } from './hub-address';
import { parseJoinCode, type JoinCode } from './join-code';
import { LearnerClient } from './learner-client';
import { LearnerProgressFeed } from './learner-feed';
import { LearnerSession } from './learner-session';
import { LEARNER_NAME_MAX } from './protocol';

export interface ClassroomFlags {
  classroom?: string | undefined;
  join?: string | undefined;
  code?: string | undefined;
  name?: string | undefined;
}

export type ClassroomPlan =
  | { kind: 'none' }
  | { kind: 'host'; address: HubAddress }
  | { kind: 'join'; address: HubAddress; code: JoinCode & { fingerprint: Buffer }; name: string };

/** Checks the flags together; every error says what to type instead. */
export function planClassroom(flags: ClassroomFlags, defaultName: string): ClassroomPlan {
  if (flags.classroom !== undefined && flags.join !== undefined) throw new Error('--classroom hosts a class and --join joins one: give only one of them.');
  if (flags.classroom !== undefined) {
    if (flags.code !== undefined) throw new Error('--code is for joining (--join HOST:PORT --code CODE); a hosted class makes its own code.');
    return { kind: 'host', address: parseHostPort(flags.classroom) };
  }
  if (flags.join === undefined) {
    if (flags.code !== undefined || flags.name !== undefined) throw new Error('--code and --name go with --join HOST:PORT.');
    return { kind: 'none' };
  }
  if (flags.code === undefined) throw new Error('--join needs the class code: --join HOST:PORT --code CODE, as printed by the instructor.');
  const code = parseJoinCode(flags.code);
  if (!code.fingerprint) {
    throw new Error('From the command line, use the full code the instructor printed (the short code followed by "." and the hub fingerprint): with the short code alone the app could not tell the class hub from an impostor.');
  }
  const name = (flags.name ?? defaultName).trim().slice(0, LEARNER_NAME_MAX) || 'Learner';
  return { kind: 'join', address: parseHostPort(flags.join), code: { secret: code.secret, fingerprint: code.fingerprint }, name };
}

/** What the instructor's terminal shows once the hub listens. */
export function hostBanner(hub: ClassroomHub, interfaces: ReturnType<typeof networkInterfaces> = networkInterfaces()): string[] {
  const { host, port } = hub.address;
  const everywhere = host === '0.0.0.0' || host === '::';
  const joinHosts = everywhere
    ? Object.values(interfaces)
        .flat()
        .filter((a) => a && !a.internal && a.family === 'IPv4')
        .map((a) => a!.address)
    : [host];
  const lines = [
    `Classroom hub listening on ${formatHostPort(hub.address)}: reachable from ${describeListenHost(host, interfaces)}.`,
    `Join code: ${hub.shortCode}`,
    `Hub fingerprint (learners who type the code compare it): ${hub.fingerprintText}`,
    'Dashboard: not in this version yet (the class record is kept in the data directory, classroom/).',
    'A learner in browser mode joins with:',
    ...joinHosts.map((h) => `  npm run serve -- --join ${formatHostPort({ host: h, port })} --code ${hub.fullCode}`),
  ];
  if (hub.warning) lines.unshift(hub.warning);
  return lines;
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

export interface RunningClassroom {
  hub?: ClassroomHub;
  client?: LearnerClient;
  /** Feeds a learner session; no-ops when hosting. */
  onAppEvent(name: string, payload: unknown): void;
  onApiCall(method: string, input: unknown, result: unknown): void;
  stop(): Promise<void>;
}

/** Starts what the plan says; `print` is the terminal. */
export async function startClassroom(plan: ClassroomPlan, dataDir: string, print: (line: string) => void, locale: 'en' | 'zh-CN' = 'en'): Promise<RunningClassroom> {
  const idle: RunningClassroom = { onAppEvent: () => undefined, onApiCall: () => undefined, stop: async () => undefined };
  if (plan.kind === 'none') return idle;
  if (plan.kind === 'host') {
    const hub = await ClassroomHub.start({ ...plan.address, dataDir: join(dataDir, 'classroom') });
    for (const line of hostBanner(hub)) print(line);
    hub.on('learner-joined', (l) => print(`classroom: ${l.name} joined`));
    hub.on('learner-left', (l) => print(`classroom: ${l.name} left`));
    return { ...idle, hub, stop: () => hub.stop() };
  }
  for (const line of sharedWithClass(plan.name)) print(line);
  const client = new LearnerClient({ ...plan.address, fingerprint: plan.code.fingerprint, secret: plan.code.secret, name: plan.name });
  const session = new LearnerSession(client, new LearnerProgressFeed(locale));
  client.on('joined', (j) => print(`classroom: joined ${j.className}${j.currentLesson ? `; the instructor suggests the lesson "${j.currentLesson.title}"` : ''}`));
  client.on('refused', (why) => print(why === 'wrong-hub' ? `classroom: ${formatHostPort(plan.address)} is not the class hub of this code (its certificate differs). Nothing was sent. Check the address and code with the instructor.` : `classroom: the hub refused to let you in (${why}).`));
  client.on('reconnecting', ({ delayMs }) => print(`classroom: lost the hub; retrying in ${Math.round(delayMs / 100) / 10} s (you keep working alone meanwhile)`));
  client.on('lesson-prompt', (l) => print(`classroom: the instructor suggests the lesson "${l.title}" (open it when you are ready)`));
  client.on('broadcast', (text) => print(`classroom: instructor says: ${text}`));
  client.on('content-offer', (o) => print(`classroom: the instructor offers ${o.kind === 'image-pack' ? 'an image pack' : 'a lesson folder'} "${o.title}". Accepting offers needs the app's consent dialog, which is not in this version yet: nothing was fetched.`));
  client.start();
  return {
    client,
    onAppEvent: (name, payload) => session.onAppEvent(name, payload),
    onApiCall: (method, input, result) => session.onApiCall(method, input, result),
    stop: () => client.leave(),
  };
}
