// The lab doctor's probes: what the engine really does, cheaply. Host
// networking is asked of the engine itself: a short-lived --network host
// container from a lab image lists /sys/class/net, and the doctor looks for the
// default bridge's interface (docker0) there, which is exactly what the
// host-mode lesson compares. Docker Desktop's opt-in (4.34+) is about reaching
// such a container from the computer; it has no API field, so that finding comes
// from the version (doctor.ts). IPv6: the same container reads whether the
// engine host's kernel has IPv6 on (net.ipv6.conf.all.disable_ipv6). The doctor
// creates no network: a new bridge changes the host's addresses, and Chromium
// aborts the page's requests in flight when they change (ERR_NETWORK_CHANGED),
// which is how an app that had just started lost a lazily loaded screen.
// Everything the probe creates carries the app's label and a random name, runs
// with no capability, as nobody, on a read-only root, and is removed by the
// probe itself (or by the next doctor, after a crash: removeStaleProbes).
import { randomBytes } from 'node:crypto';
import type Dockerode from 'dockerode';
import type { DoctorFindings } from '../../api/types';
import { classifyEngine, type EngineInfo, type EngineVersion, type HostNetworkProbe, type Ipv6Probe } from './doctor';
import { APP_LABEL } from './host-view';

/** The label value on what the doctor creates. */
export const DOCTOR_LABEL_VALUE = 'doctor';

export interface DoctorOptions {
  info: EngineInfo;
  version: EngineVersion;
  /** The endpoint as a URL: unix:// and npipe:// are this computer. */
  endpoint: string;
  /** A lab image present on the engine, with busybox's `ls` (undefined: none is pulled yet). */
  image: string | undefined;
  timeoutMs: number;
  /** Prefix of the probes' names (tests use their own on the shared engine). */
  namePrefix?: string;
  platform?: NodeJS.Platform;
}

/** A probe settles within its deadline; anything of the doctor's this much older was left by a run that was killed mid-probe. */
const STALE_PROBE_MS = 120_000;

/**
 * Removes what an earlier doctor left behind (the app killed between a probe's create and its
 * remove): only objects with the doctor's label, and only older than `olderThanMs`, so a probe
 * another window is running right now is left alone. Best effort: it never fails the doctor.
 */
export async function removeStaleProbes(docker: Dockerode, olderThanMs = STALE_PROBE_MS, now = Date.now()): Promise<void> {
  const filters = JSON.stringify({ label: [`${APP_LABEL}=${DOCTOR_LABEL_VALUE}`] });
  const [containers, networks] = await Promise.all([docker.listContainers({ all: true, filters }).catch(() => []), docker.listNetworks({ filters }).catch(() => [])]);
  const stale = (createdMs: number): boolean => Number.isFinite(createdMs) && now - createdMs >= olderThanMs;
  await Promise.allSettled([
    ...containers.filter((c) => stale(c.Created * 1000)).map((c) => docker.getContainer(c.Id).remove({ force: true })),
    ...networks.filter((n) => stale(Date.parse((n as { Created?: string }).Created ?? ''))).map((n) => docker.getNetwork(n.Id).remove()),
  ]);
}

/** Probes the engine and classifies what it found. Never throws: a probe that fails is a finding. */
export async function runDoctor(docker: Dockerode, options: DoctorOptions): Promise<DoctorFindings> {
  await withDeadline(removeStaleProbes(docker), options.timeoutMs, undefined).catch(() => undefined);
  const prefix = options.namePrefix ?? 'netlab-doctor';
  const suffix = randomBytes(4).toString('hex');
  const windows = (options.info.OSType ?? options.version.Os) === 'windows';
  const [{ hostNetwork, ipv6 }, defaultBridgeIpv6] = windows
    ? ([{ hostNetwork: { kind: 'error', message: 'Windows containers' }, ipv6: { kind: 'error', message: 'Windows containers' } }, undefined] as const)
    : await Promise.all([
        probeHostNetwork(docker, options.image, `${prefix}-host-${suffix}`, options.timeoutMs),
        defaultBridge(docker, options.timeoutMs).then((b) => b?.EnableIPv6),
      ]);
  return classifyEngine({
    info: options.info,
    version: options.version,
    local: /^(unix|npipe):/.test(options.endpoint),
    platform: options.platform ?? process.platform,
    hostNetwork,
    ipv6,
    ...(defaultBridgeIpv6 !== undefined ? { defaultBridgeIpv6 } : {}),
  });
}

const IPV6_MARK = '--ipv6--';

/** What the probe container printed: the host's interfaces, and its kernel's IPv6 switch. */
export function readProbeOutput(output: string): { interfaces: string[]; ipv6: Ipv6Probe } {
  const [list = '', after] = output.split(IPV6_MARK);
  const interfaces = list.split(/\s+/).filter(Boolean);
  const disabled = after?.trim();
  if (disabled === '0') return { interfaces, ipv6: { kind: 'available' } };
  if (disabled === '1') return { interfaces, ipv6: { kind: 'refused', message: "IPv6 is turned off in the engine host's kernel (net.ipv6.conf.all.disable_ipv6 = 1)" } };
  // No such file: a kernel built without IPv6.
  return { interfaces, ipv6: disabled === undefined || disabled === '' ? { kind: 'refused', message: "the engine host's kernel has no IPv6" } : { kind: 'error', message: `unexpected: ${disabled.slice(0, 80)}` } };
}

/** What the probe container is created with. */
export function hostNetworkProbeSpec(name: string, image: string): Dockerode.ContainerCreateOptions {
  return {
    name,
    Image: image,
    // The host's interfaces, a marker, then whether its kernel has IPv6 off (1) or on (0).
    Entrypoint: ['sh', '-c', `ls /sys/class/net; echo ${IPV6_MARK}; cat /proc/sys/net/ipv6/conf/all/disable_ipv6`],
    Cmd: [],
    // No multiplexed stream to take apart: the logs are the plain listing.
    Tty: true,
    User: '65534:65534',
    Labels: { [APP_LABEL]: DOCTOR_LABEL_VALUE },
    HostConfig: {
      NetworkMode: 'host',
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      ReadonlyRootfs: true,
      AutoRemove: false,
    },
  };
}

async function probeHostNetwork(docker: Dockerode, image: string | undefined, name: string, timeoutMs: number): Promise<{ hostNetwork: HostNetworkProbe; ipv6: Ipv6Probe }> {
  const unknown = (hostNetwork: HostNetworkProbe): { hostNetwork: HostNetworkProbe; ipv6: Ipv6Probe } => ({
    hostNetwork,
    ipv6: hostNetwork.kind === 'timeout' ? { kind: 'timeout' } : { kind: 'error', message: 'the probe container did not run' },
  });
  if (!image) return unknown({ kind: 'no-image' });
  let created: Dockerode.Container | undefined;
  const run = async (): Promise<{ hostNetwork: HostNetworkProbe; ipv6: Ipv6Probe }> => {
    const bridgeInterface = bridgeInterfaceName(await defaultBridge(docker, timeoutMs));
    try {
      created = await docker.createContainer(hostNetworkProbeSpec(name, image));
      await created.start();
    } catch (err) {
      // The image went away since the preflight saw it: nothing was learnt.
      if (statusOf(err) === 404) return unknown({ kind: 'no-image' });
      // The engine said no (a policy, a runtime without host networking): that is the finding.
      return unknown(statusOf(err) !== undefined ? { kind: 'refused', message: engineMessage(err) } : { kind: 'error', message: engineMessage(err) });
    }
    await created.wait();
    const logs = await created.logs({ stdout: true, stderr: true });
    const { interfaces, ipv6 } = readProbeOutput(logs.toString('utf8'));
    return { hostNetwork: { kind: 'ran', bridgeInterface, interfaces }, ipv6 };
  };
  const running = run();
  // Removed once the run settles, even after the deadline: a late create still lands.
  void afterSettled(running, () => created?.remove({ force: true }));
  try {
    return await withDeadline(running, timeoutMs, unknown({ kind: 'timeout' }));
  } catch (err) {
    return unknown({ kind: 'error', message: engineMessage(err) });
  }
}

async function defaultBridge(docker: Dockerode, timeoutMs: number): Promise<{ EnableIPv6?: boolean; Options?: Record<string, string> } | undefined> {
  try {
    return (await withDeadline(docker.getNetwork('bridge').inspect(), timeoutMs, undefined)) as
      | { EnableIPv6?: boolean; Options?: Record<string, string> }
      | undefined;
  } catch {
    return undefined;
  }
}

/** The default bridge's Linux interface: docker0 unless the daemon names another. */
export function bridgeInterfaceName(bridge: { Options?: Record<string, string> } | undefined): string {
  return bridge?.Options?.['com.docker.network.bridge.name'] || 'docker0';
}

/** fdXX:XXXX:XXXX:XXXX::/64, random (RFC 4193's way to pick a unique-local prefix). */
export function randomUlaSubnet(bytes: Buffer = randomBytes(7)): string {
  const hex = bytes.toString('hex');
  return `fd${hex.slice(0, 2)}:${hex.slice(2, 6)}:${hex.slice(6, 10)}:${hex.slice(10, 14)}::/64`;
}

/** Cleans up after a probe however it ended; a cleanup that fails is left to the app's label sweep. */
async function afterSettled(running: Promise<unknown>, cleanup: () => Promise<unknown> | undefined): Promise<void> {
  await running.catch(() => undefined);
  await Promise.resolve(cleanup()).catch(() => undefined);
}

function withDeadline<T, F>(promise: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(fallback), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

function statusOf(err: unknown): number | undefined {
  const code = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

/** The engine's own message (dockerode puts it in json.message), else the error's. */
function engineMessage(err: unknown): string {
  const json = (err as { json?: { message?: unknown } } | null)?.json;
  if (json && typeof json.message === 'string') return json.message;
  return err instanceof Error ? err.message : String(err);
}
