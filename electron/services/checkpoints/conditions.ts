// Evaluates one condition against what the lab knows: the tracker's live model
// (no Docker round trip), the commands and output seen in terminals, and, for
// probes only, a command run inside a container.
import { terminalKey } from '../../api/terminal-key';
import type { ContainerNode, Localized, NetworkNode, CommandRecord } from '../../api/types';
import type { EngineRecord } from '../relay/engine-record';
import type { Condition } from '../lessons/checkpoint-schema';
import { probeCommandProblem } from './probe-commands';
import { reasons } from './reasons';

export interface ProbeResult {
  exitCode: number;
  output: string;
  timedOut: boolean;
}

export interface ConditionContext {
  container(name: string): ContainerNode | undefined;
  network(name: string): NetworkNode | undefined;
  /** Host-shell commands finished since the lab opened, oldest first. */
  commands(): readonly CommandRecord[];
  /** Docker API calls made from the lab's host shells since the lab opened, oldest first. */
  engineRecords(): readonly EngineRecord[];
  /** Output seen in a terminal since the lab opened, by the terminal's key (terminal-key.ts). */
  output(terminalKey: string): string;
  /** Why no probe may run in this container now (not the lab's, or no consent yet); undefined when one may. */
  probeRefusal(container: ContainerNode): Localized | undefined;
  /** Runs a read-only command in the container with this id. */
  probe(containerId: string, command: string[], timeoutMs: number): Promise<ProbeResult>;
  /** Whether the learner answered this quiz correctly (in this lab session). */
  quizCorrect(id: string): boolean;
}

export type Verdict = { ok: true } | { ok: false; reason: Localized };

const PASS: Verdict = { ok: true };
const fail = (reason: Localized): Verdict => ({ ok: false, reason });

/** Cheap conditions first so a probe only runs once everything else holds. */
const COST: Record<Condition['kind'], number> = { quiz: 0, network: 0, container: 0, command: 1, engine: 1, output: 1, probe: 2 };

const TEMPLATE = /\$\{(ip6?):([^@}]+)@([^}]+)\}/g;

/** Replaces ${ip:CONTAINER@NETWORK} (${ip6:…}: its IPv6 address) with the container's address; undefined when one is missing. */
export function expandTemplates(
  text: string,
  ctx: Pick<ConditionContext, 'container'>,
  escape: (s: string) => string = (s) => s,
): { text: string } | { missing: Localized } {
  let missing: Localized | undefined;
  const out = text.replace(TEMPLATE, (_m, family: string, c: string, n: string) => {
    const attachment = ctx.container(c)?.networks.find((a) => a.network === n);
    const ip = family === 'ip6' ? attachment?.ip6 : attachment?.ip;
    if (!ip) {
      missing ??= !ctx.container(c) ? reasons.containerMissing(c) : family === 'ip6' ? reasons.noAddress6(c, n) : reasons.noAddress(c, n);
      return '';
    }
    return escape(ip);
  });
  return missing ? { missing } : { text: out };
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function compile(pattern: string, ctx: ConditionContext): RegExp | Localized {
  const expanded = expandTemplates(pattern, ctx, escapeRegExp);
  if ('missing' in expanded) return expanded.missing;
  return new RegExp(expanded.text, 'm');
}

/** busybox and busybox:latest are the same image; so are docker.io/library/busybox and busybox. */
export function sameImage(actual: string, wanted: string): boolean {
  const norm = (s: string): string => {
    let n = s.replace(/^docker\.io\//, '').replace(/^library\//, '');
    if (!/:[^/]+$/.test(n) && !n.includes('@')) n += ':latest';
    return n;
  };
  return norm(actual) === norm(wanted);
}

function checkNetwork(c: Extract<Condition, { kind: 'network' }>, ctx: ConditionContext): Verdict {
  const net = ctx.network(c.network);
  if (!c.exists) return net ? fail(reasons.networkStillThere(c.network)) : PASS;
  if (!net) return fail(reasons.networkMissing(c.network));
  if (c.driver && net.driver !== c.driver) return fail(reasons.networkDriver(c.network, net.driver, c.driver));
  if (c.internal !== undefined && (net.internal === true) !== c.internal) return fail(reasons.networkInternal(c.network, c.internal));
  if (c.ipv6 !== undefined && (net.ipv6 === true) !== c.ipv6) return fail(reasons.networkIpv6(c.network, c.ipv6));
  return PASS;
}

function checkContainer(c: Extract<Condition, { kind: 'container' }>, ctx: ConditionContext): Verdict {
  const node = ctx.container(c.container);
  if (!c.exists) return node ? fail(reasons.containerStillThere(c.container)) : PASS;
  if (!node) return fail(reasons.containerMissing(c.container));
  if (c.image && !sameImage(node.image, c.image)) return fail(reasons.image(node.name, node.image, c.image));
  if (c.state === 'running' && node.state !== 'running') return fail(reasons.notRunning(node.name, node.state));
  if (c.state === 'stopped' && node.state === 'running') return fail(reasons.notStopped(node.name));
  const attached = node.networks.map((a) => a.network);
  if (c.networkMode && node.networkMode !== c.networkMode) {
    // The usual near-miss: a container on the default bridge instead of the user-defined network.
    const isNetworkName = !['bridge', 'host', 'none'].includes(c.networkMode) && !c.networkMode.startsWith('container:');
    return fail(
      isNetworkName && !node.networkMode.startsWith('container:') && !['host', 'none'].includes(node.networkMode)
        ? reasons.notOnNetwork(node.name, attached, c.networkMode)
        : reasons.networkMode(node.name, node.networkMode, c.networkMode),
    );
  }
  for (const n of c.networks ?? []) {
    if (!attached.includes(n)) return fail(reasons.notOnNetwork(node.name, attached, n));
  }
  for (const n of c.notNetworks ?? []) {
    if (attached.includes(n)) return fail(reasons.stillOnNetwork(node.name, n));
  }
  if (c.addressOn) {
    const a = node.networks.find((x) => x.network === c.addressOn);
    if (!a) return fail(reasons.notOnNetwork(node.name, attached, c.addressOn));
    if (!a.ip) return fail(reasons.noAddress(node.name, c.addressOn));
  }
  if (c.ipv6On) {
    const a = node.networks.find((x) => x.network === c.ipv6On);
    if (!a) return fail(reasons.notOnNetwork(node.name, attached, c.ipv6On));
    if (!a.ip6) return fail(reasons.noAddress6(node.name, c.ipv6On));
  }
  return PASS;
}

function checkCommand(c: Extract<Condition, { kind: 'command' }>, ctx: ConditionContext): Verdict {
  const re = compile(c.pattern, ctx);
  if (!(re instanceof RegExp)) return fail(re);
  let lastExit: number | undefined;
  for (const rec of ctx.commands()) {
    if (!re.test(rec.command)) continue;
    if (c.exitCode === null || rec.exitCode === c.exitCode) return PASS;
    lastExit = rec.exitCode;
  }
  return fail(lastExit === undefined ? reasons.noCommand() : reasons.commandExit(lastExit, c.exitCode ?? 0));
}

/** Whether `actual` holds everything `wanted` does (objects by key, everything else equal). */
export function containsSubset(actual: unknown, wanted: unknown): boolean {
  if (typeof wanted !== 'object' || wanted === null) return actual === wanted;
  if (Array.isArray(wanted)) return Array.isArray(actual) && wanted.length === actual.length && wanted.every((w, i) => containsSubset(actual[i], w));
  if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) return false;
  return Object.entries(wanted).every(([key, value]) => containsSubset((actual as Record<string, unknown>)[key], value));
}

/** Whether a record's target (a name, a full id or an id prefix as the learner typed it) is this object. */
function sameObject(target: string | undefined, node: { id: string; name: string } | undefined, wanted: string): boolean {
  if (target === undefined) return false;
  if (target === wanted) return true;
  return node !== undefined && target.length >= 4 && /^[0-9a-f]+$/.test(target) && node.id.startsWith(target);
}

function checkEngine(c: Extract<Condition, { kind: 'engine' }>, ctx: ConditionContext): Verdict {
  const calls = Array.isArray(c.call) ? c.call : [c.call];
  const command = c.command === undefined ? undefined : compile(c.command, ctx);
  if (command !== undefined && !(command instanceof RegExp)) return fail(command);
  const container = c.container === undefined ? undefined : ctx.container(c.container);
  const network = c.network === undefined ? undefined : ctx.network(c.network);
  let near: EngineRecord | undefined;
  for (const rec of ctx.engineRecords()) {
    const isExec = rec.exec !== undefined && rec.exec.exitCode !== undefined;
    if (!calls.some((call) => (call === 'exec' ? isExec : rec.op === call))) continue;
    if (c.container !== undefined) {
      const byId = isExec && container !== undefined && rec.exec?.containerId === container.id;
      if (!byId && !sameObject(isExec ? rec.exec?.container : rec.target, container, c.container)) continue;
    }
    if (c.network !== undefined && !sameObject(rec.target, network, c.network)) continue;
    if (command && !(isExec && command.test((rec.exec?.command ?? []).join(' ')))) continue;
    if (c.body !== undefined && !containsSubset(rec.body, c.body)) continue;
    if (c.query !== undefined && !containsSubset(rec.query, c.query)) continue;
    if (isExec && calls.includes('exec')) {
      const wanted = c.exitCode === undefined ? 0 : c.exitCode;
      if (wanted !== null && rec.exec?.exitCode !== wanted) {
        near = rec;
        continue;
      }
    } else {
      const ok = rec.status >= 200 && rec.status < 400;
      const wanted = c.succeeded === undefined ? true : c.succeeded;
      if (wanted !== null && ok !== wanted) {
        near = rec;
        continue;
      }
    }
    return PASS;
  }
  if (near?.exec?.exitCode !== undefined) return fail(reasons.commandExit(near.exec.exitCode, c.exitCode ?? 0));
  if (near) return fail(reasons.engineRefused(near.op, near.error));
  return fail(reasons.noEngineCall());
}

function checkOutput(c: Extract<Condition, { kind: 'output' }>, ctx: ConditionContext): Verdict {
  const re = compile(c.pattern, ctx);
  if (!(re instanceof RegExp)) return fail(re);
  // A lesson names the terminal as it writes it (host, docker-host or a container's name).
  return re.test(ctx.output(terminalKey(c.terminal))) ? PASS : fail(reasons.noOutput(c.terminal));
}

async function checkProbe(c: Extract<Condition, { kind: 'probe' }>, ctx: ConditionContext): Promise<Verdict> {
  const node = ctx.container(c.container);
  // By its exact name only: never an id prefix, never another container.
  if (!node || node.name !== c.container) return fail(reasons.containerMissing(c.container));
  if (node.state !== 'running') return fail(reasons.notRunning(node.name, node.state));
  const refused = ctx.probeRefusal(node);
  if (refused) return fail(refused);
  const args: string[] = [];
  for (const arg of c.command) {
    const expanded = expandTemplates(arg, ctx);
    if ('missing' in expanded) return fail(expanded.missing);
    args.push(expanded.text);
  }
  // The loader refused anything else; checked again with the templates filled in.
  const notReadOnly = probeCommandProblem(args);
  if (notReadOnly) return fail(reasons.probeNotReadOnly(notReadOnly));
  const shown = args.join(' ');
  let result: ProbeResult;
  try {
    result = await ctx.probe(node.id, args, c.timeoutMs);
  } catch (err) {
    return fail(reasons.probeError(node.name, err instanceof Error ? err.message : String(err)));
  }
  if (result.timedOut) return fail(reasons.probeTimeout(node.name, shown));
  if (result.exitCode !== c.exitCode) return fail(reasons.probeExit(node.name, shown, result.exitCode, c.exitCode));
  for (const [pattern, wanted] of [[c.output, true], [c.notOutput, false]] as const) {
    if (pattern === undefined) continue;
    const re = compile(pattern, ctx);
    if (!(re instanceof RegExp)) return fail(re);
    if (re.test(result.output) !== wanted) return fail(reasons.probeOutput(node.name, shown));
  }
  return PASS;
}

async function evaluateCondition(c: Condition, ctx: ConditionContext): Promise<Verdict> {
  return c.kind === 'probe' ? checkProbe(c, ctx) : (evaluateConditionNow(c, ctx) as Verdict);
}

/** A condition decided from memory alone (the model, commands, output, quizzes); undefined for a probe. */
function evaluateConditionNow(c: Condition, ctx: ConditionContext): Verdict | undefined {
  switch (c.kind) {
    case 'network':
      return checkNetwork(c, ctx);
    case 'container':
      return checkContainer(c, ctx);
    case 'command':
      return checkCommand(c, ctx);
    case 'engine':
      return checkEngine(c, ctx);
    case 'output':
      return checkOutput(c, ctx);
    case 'quiz':
      return ctx.quizCorrect(c.quiz) ? PASS : fail(reasons.quizOpen());
    case 'probe':
      return undefined;
  }
}

/**
 * The verdict evaluateAll would give, when it needs no probe: a failing cheap
 * condition decides (same order, same reason); undefined when a probe must run.
 */
export function evaluateAllNow(conditions: readonly Condition[], ctx: ConditionContext): Verdict | undefined {
  const ordered = [...conditions].sort((a, b) => COST[a.kind] - COST[b.kind]);
  for (const c of ordered) {
    const v = evaluateConditionNow(c, ctx);
    if (v === undefined) return undefined;
    if (!v.ok) return v;
  }
  return PASS;
}

/** All conditions must hold; the first that does not gives the reason. */
export async function evaluateAll(conditions: readonly Condition[], ctx: ConditionContext): Promise<Verdict> {
  const ordered = [...conditions].sort((a, b) => COST[a.kind] - COST[b.kind]);
  for (const c of ordered) {
    const v = await evaluateCondition(c, ctx);
    if (!v.ok) return v;
  }
  return PASS;
}
