// The lab doctor's judgement: facts about the engine in (docker info, docker
// version, what its probes saw), findings out. Pure, so each kind of engine is
// tested from a recorded `docker info` / `docker version` (fixtures/doctor/).
// The probes themselves are in doctor-probe.ts.
import type { DoctorCause, DoctorFinding, DoctorFindings, EngineKind, LessonNeed, LessonStep, UnmetNeed } from '../../api/types';

/** The fields of `docker info` (GET /info) the doctor reads. */
export interface EngineInfo {
  OperatingSystem?: string;
  OSType?: string;
  Architecture?: string;
  KernelVersion?: string;
  Name?: string;
  Labels?: string[] | null;
  ServerVersion?: string;
  /** Docker 28.3 and later: how the daemon writes its firewall rules. */
  FirewallBackend?: { Driver?: string } | null;
  /** The plugins the daemon offers; Network lists its network drivers (bridge, host, macvlan, …). */
  Plugins?: { Network?: string[] | null } | null;
}

/** The fields of `docker version` (GET /version) the doctor reads. */
export interface EngineVersion {
  Version?: string;
  Arch?: string;
  Os?: string;
  KernelVersion?: string;
  Platform?: { Name?: string } | null;
  Components?: { Name?: string; Version?: string }[] | null;
}

/** What a short-lived --network host container saw, or why it did not run. */
export type HostNetworkProbe =
  | { kind: 'ran'; bridgeInterface: string; interfaces: string[] }
  | { kind: 'refused' | 'error'; message: string }
  | { kind: 'no-image' | 'timeout' };

/** Whether the engine host's kernel has IPv6 on, read by the host-network probe (doctor-probe.ts). */
export type Ipv6Probe = { kind: 'available' } | { kind: 'refused' | 'error'; message: string } | { kind: 'timeout' };

export interface DoctorFacts {
  info: EngineInfo;
  version: EngineVersion;
  /** The engine is reached through a socket or pipe on this computer (not tcp:// or ssh://). */
  local: boolean;
  /** process.platform of the app: an engine on Linux reached from macOS or Windows runs in a VM. */
  platform: NodeJS.Platform;
  hostNetwork: HostNetworkProbe;
  ipv6: Ipv6Probe;
  /** The default bridge network's EnableIPv6 (the daemon's "ipv6" setting). */
  defaultBridgeIpv6?: boolean;
}

/** Docker Desktop offers host networking to the computer from this version, as an opt-in setting. */
export const DESKTOP_HOST_NETWORKING_SINCE = [4, 34] as const;

export function classifyEngine(facts: DoctorFacts): DoctorFindings {
  const { info, version } = facts;
  const kind = engineKind(info, version);
  const product = productName(kind, version);
  const hostNetwork = hostNetworkFinding(kind, facts.hostNetwork);
  return {
    engine: {
      kind,
      ...optional('os', info.OperatingSystem),
      ...optional('osType', info.OSType ?? version.Os),
      ...optional('arch', dockerArch(version.Arch ?? info.Architecture)),
      ...optional('kernel', info.KernelVersion ?? version.KernelVersion),
      ...optional('version', version.Version ?? info.ServerVersion),
      ...optional('product', product),
    },
    hostNetwork,
    hostNetworkFromComputer: fromComputerFinding(kind, hostNetwork, facts, product),
    ipv6: { ...ipv6Finding(kind, facts.ipv6), ...(facts.defaultBridgeIpv6 !== undefined ? { defaultBridge: facts.defaultBridgeIpv6 } : {}) },
    firewall: firewallFinding(kind, info),
    ...(Array.isArray(info.Plugins?.Network) ? { networkDrivers: info.Plugins.Network.filter((d) => typeof d === 'string') } : {}),
  };
}

/** Which product runs the engine, from the fields each one sets (each fixture in fixtures/doctor/ names where its values come from). */
export function engineKind(info: EngineInfo, version: EngineVersion): EngineKind {
  const os = info.OperatingSystem ?? '';
  const name = info.Name ?? '';
  const kernel = info.KernelVersion ?? version.KernelVersion ?? '';
  const platform = version.Platform?.Name ?? '';
  const labels = info.Labels ?? [];
  if ((info.OSType ?? version.Os) === 'windows') return 'windows';
  if ((version.Components ?? []).some((c) => c.Name === 'Podman Engine')) return 'podman';
  if (os === 'Docker Desktop' || platform.startsWith('Docker Desktop') || labels.some((l) => l.startsWith('com.docker.desktop.'))) {
    return 'docker-desktop';
  }
  if (os === 'OrbStack' || name === 'orbstack' || /orbstack/i.test(kernel)) return 'orbstack';
  if (/rancher desktop/i.test(os) || name === 'lima-rancher-desktop' || name === 'rancher-desktop') return 'rancher-desktop';
  if (name === 'colima' || name.startsWith('colima-')) return 'colima';
  return (info.OSType ?? version.Os) === 'linux' ? 'linux' : 'unknown';
}

/** Docker Desktop's version from `docker version`'s Platform name ("Docker Desktop 4.33.0 (160616)"). */
export function desktopVersion(version: EngineVersion): [number, number] | undefined {
  const m = /^Docker Desktop (\d+)\.(\d+)/.exec(version.Platform?.Name ?? '');
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** Docker's names for architectures: x86_64 → amd64, aarch64 → arm64. */
export function dockerArch(arch: string | undefined): string | undefined {
  if (arch === undefined || arch === '') return undefined;
  if (arch === 'x86_64') return 'amd64';
  if (arch === 'aarch64') return 'arm64';
  return arch;
}

function productName(kind: EngineKind, version: EngineVersion): string | undefined {
  if (kind === 'podman') {
    const podman = (version.Components ?? []).find((c) => c.Name === 'Podman Engine');
    return podman?.Version ? `Podman ${podman.Version}` : 'Podman';
  }
  const platform = version.Platform?.Name?.trim();
  return platform || undefined;
}

function hostNetworkFinding(kind: EngineKind, probe: HostNetworkProbe): DoctorFinding {
  if (kind === 'windows') return { state: 'no', cause: 'windows' };
  switch (probe.kind) {
    case 'ran':
      // The lessons compare with docker0: a host-mode container that cannot see the
      // engine's bridge does not share the engine's network namespace (rootless Podman,
      // for one, keeps its bridges in a namespace of their own).
      return probe.interfaces.includes(probe.bridgeInterface)
        ? { state: 'yes', cause: 'bridge-seen', detail: probe.bridgeInterface }
        : { state: 'no', cause: 'bridge-not-seen', detail: probe.bridgeInterface };
    case 'refused':
      return { state: 'no', cause: 'refused', detail: probe.message };
    case 'error':
      return { state: 'unknown', cause: 'error', detail: probe.message };
    default:
      return { state: 'unknown', cause: probe.kind };
  }
}

function fromComputerFinding(kind: EngineKind, hostNetwork: DoctorFinding, facts: DoctorFacts, product: string | undefined): DoctorFinding {
  if (kind === 'windows') return { state: 'no', cause: 'windows' };
  if (hostNetwork.state === 'no') return hostNetwork;
  if (!facts.local) return { state: 'unknown', cause: 'remote' };
  if (kind === 'docker-desktop') {
    // Docker Desktop keeps its setting to itself (no API field); only its version is certain.
    const v = desktopVersion(facts.version);
    const [major, minor] = DESKTOP_HOST_NETWORKING_SINCE;
    if (v && (v[0] < major || (v[0] === major && v[1] < minor))) return { state: 'no', cause: 'desktop-too-old', ...optional('detail', product) };
    return { state: 'unknown', cause: 'desktop-setting', ...optional('detail', product) };
  }
  if (kind === 'colima' || kind === 'orbstack' || kind === 'rancher-desktop') return { state: 'unknown', cause: 'vm' };
  // A Linux engine (or Podman) through a local socket: on Linux it is this computer;
  // seen from macOS or Windows it runs in some VM.
  return facts.platform === 'linux' ? { state: 'yes', cause: 'local' } : { state: 'unknown', cause: 'vm' };
}

function ipv6Finding(kind: EngineKind, probe: Ipv6Probe): DoctorFinding {
  if (kind === 'windows') return { state: 'no', cause: 'windows' };
  switch (probe.kind) {
    case 'available':
      return { state: 'yes', cause: 'ok' };
    case 'refused':
      return { state: 'no', cause: 'refused', detail: probe.message };
    case 'error':
      return { state: 'unknown', cause: 'error', detail: probe.message };
    default:
      return { state: 'unknown', cause: 'timeout' };
  }
}

function firewallFinding(kind: EngineKind, info: EngineInfo): DoctorFindings['firewall'] {
  const driver = info.FirewallBackend?.Driver;
  if (driver) {
    // "iptables", "nftables", or "iptables+firewalld".
    const backend = driver.includes('nftables') ? 'nftables' : driver.includes('iptables') ? 'iptables' : 'unknown';
    return { backend, cause: 'engine-said', detail: driver };
  }
  if (kind === 'windows') return { backend: 'unknown', cause: 'windows' };
  // Podman's netavark picks iptables or nftables by its own configuration, which its Docker API does not show.
  if (kind === 'podman' || kind === 'unknown') return { backend: 'unknown', cause: 'not-said' };
  // Docker before the nftables backend (which came with the FirewallBackend field) wrote iptables rules only.
  return { backend: 'iptables', cause: 'docker-default' };
}

/** The needs this engine does not meet. Only a finding of 'no' blocks: what the doctor could not tell is tried. */
export function unmetNeeds(requires: readonly LessonNeed[], findings: DoctorFindings | undefined): UnmetNeed[] {
  if (!findings) return [];
  const unmet: UnmetNeed[] = [];
  for (const need of new Set(requires)) {
    const finding = needFinding(need, findings);
    if (finding) unmet.push({ need, cause: finding.cause, ...optional('detail', finding.detail) });
  }
  return unmet;
}

function needFinding(need: LessonNeed, f: DoctorFindings): { cause: DoctorCause; detail?: string } | undefined {
  switch (need) {
    case 'host-network':
      return f.hostNetwork.state === 'no' ? f.hostNetwork : undefined;
    case 'ipv6':
      return f.ipv6.state === 'no' ? f.ipv6 : undefined;
    case 'iptables':
      if (f.engine.kind === 'windows') return { cause: 'windows' };
      return f.firewall.backend === 'nftables' ? f.firewall : undefined;
    case 'macvlan':
    case 'ipvlan':
      // Linux-only drivers: the engine lists the drivers it has (not said: tried).
      if (f.engine.kind === 'windows') return { cause: 'windows' };
      if (f.networkDrivers && !f.networkDrivers.includes(need)) return { cause: 'engine-said', detail: `its network drivers are ${f.networkDrivers.join(', ')}` };
      return undefined;
  }
}

/** Each step that cannot work on this engine, with what it lacks. */
export function unavailableSteps(steps: readonly Pick<LessonStep, 'id' | 'requires'>[], findings: DoctorFindings | undefined): Map<string, UnmetNeed[]> {
  const result = new Map<string, UnmetNeed[]>();
  for (const step of steps) {
    const unmet = unmetNeeds(step.requires ?? [], findings);
    if (unmet.length > 0) result.set(step.id, unmet);
  }
  return result;
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined || value === '' ? {} : { [key]: value }) as { [P in K]?: string };
}
