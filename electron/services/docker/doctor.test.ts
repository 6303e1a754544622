import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DoctorFindings, LessonNeed } from '../../api/types';
import { classifyEngine, desktopVersion, dockerArch, engineKind, unavailableSteps, unmetNeeds, type DoctorFacts, type EngineInfo, type EngineVersion } from './doctor';

interface Fixture {
  source: string;
  info: EngineInfo;
  version: EngineVersion;
}

function fixture(name: string): Fixture {
  return JSON.parse(readFileSync(join(__dirname, 'fixtures', 'doctor', `${name}.json`), 'utf8')) as Fixture;
}

/** A fixture's engine where every probe worked: a host-mode container saw docker0, a dual-stack network was created. */
function facts(name: string, over: Partial<DoctorFacts> = {}): DoctorFacts {
  const { info, version } = fixture(name);
  return {
    info,
    version,
    local: true,
    platform: 'darwin',
    hostNetwork: { kind: 'ran', bridgeInterface: 'docker0', interfaces: ['docker0', 'eth0', 'lo'] },
    ipv6: { kind: 'available' },
    defaultBridgeIpv6: false,
    ...over,
  };
}

describe('engineKind, from recorded docker info / version', () => {
  it.each([
    ['linux-debian', 'linux'],
    ['linux-docker-29-nftables', 'linux'],
    ['docker-desktop-mac-arm64', 'docker-desktop'],
    ['docker-desktop-windows-4.36', 'docker-desktop'],
    ['colima', 'colima'],
    ['orbstack', 'orbstack'],
    ['rancher-desktop', 'rancher-desktop'],
    ['podman', 'podman'],
  ])('%s is %s', (name, kind) => {
    const { info, version, source } = fixture(name);
    expect(source.length).toBeGreaterThan(20);
    expect(engineKind(info, version)).toBe(kind);
  });

  it('is not fooled by a near miss: a host merely named like a product, or no OS at all', () => {
    expect(engineKind({ OSType: 'linux', Name: 'my-colima-notes' }, {})).toBe('linux');
    expect(engineKind({ OSType: 'linux', OperatingSystem: 'Ubuntu 24.04 LTS', Name: 'docker-desktop-ish' }, {})).toBe('linux');
    expect(engineKind({}, {})).toBe('unknown');
    expect(engineKind({ OSType: 'windows', OperatingSystem: 'Windows Server 2022' }, {})).toBe('windows');
  });

  it('finds Docker Desktop by its Platform name or its labels when the OS field says otherwise', () => {
    expect(engineKind({ OSType: 'linux', OperatingSystem: 'Alpine' }, { Platform: { Name: 'Docker Desktop 4.20.1 (110738)' } })).toBe('docker-desktop');
    expect(engineKind({ OSType: 'linux', Labels: ['com.docker.desktop.address=unix:///x'] }, {})).toBe('docker-desktop');
  });
});

describe('classifyEngine', () => {
  it('describes the engine: OS, architecture in Docker\'s names, kernel, product', () => {
    const f = classifyEngine(facts('docker-desktop-mac-arm64'));
    expect(f.engine).toEqual({
      kind: 'docker-desktop',
      os: 'Docker Desktop',
      osType: 'linux',
      arch: 'arm64',
      kernel: '6.10.0-linuxkit',
      version: '27.1.1',
      product: 'Docker Desktop 4.33.0 (160616)',
    });
    expect(classifyEngine(facts('podman')).engine.product).toBe('Podman 5.2.2');
    expect(classifyEngine(facts('linux-debian')).engine).toMatchObject({ arch: 'amd64', os: 'Debian GNU/Linux 12 (bookworm)' });
    expect(classifyEngine(facts('linux-debian')).engine.product).toBeUndefined();
  });

  it('host networking: what a --network host container saw decides', () => {
    expect(classifyEngine(facts('linux-debian')).hostNetwork).toEqual({ state: 'yes', cause: 'bridge-seen', detail: 'docker0' });
    const separate = classifyEngine(facts('podman', { hostNetwork: { kind: 'ran', bridgeInterface: 'podman0', interfaces: ['lo', 'enp0s1'] } }));
    expect(separate.hostNetwork).toEqual({ state: 'no', cause: 'bridge-not-seen', detail: 'podman0' });
    const refused = classifyEngine(facts('linux-debian', { hostNetwork: { kind: 'refused', message: 'host networking is not allowed' } }));
    expect(refused.hostNetwork).toEqual({ state: 'no', cause: 'refused', detail: 'host networking is not allowed' });
    expect(classifyEngine(facts('linux-debian', { hostNetwork: { kind: 'no-image' } })).hostNetwork).toEqual({ state: 'unknown', cause: 'no-image' });
    expect(classifyEngine(facts('linux-debian', { hostNetwork: { kind: 'timeout' } })).hostNetwork.state).toBe('unknown');
  });

  it('host networking from the computer: Docker Desktop before 4.34 cannot, from 4.34 a setting decides', () => {
    expect(classifyEngine(facts('docker-desktop-mac-arm64')).hostNetworkFromComputer).toEqual({
      state: 'no',
      cause: 'desktop-too-old',
      detail: 'Docker Desktop 4.33.0 (160616)',
    });
    expect(classifyEngine(facts('docker-desktop-windows-4.36', { platform: 'win32' })).hostNetworkFromComputer).toMatchObject({
      state: 'unknown',
      cause: 'desktop-setting',
    });
    expect(desktopVersion({ Platform: { Name: 'Docker Desktop 4.34.0 (165256)' } })).toEqual([4, 34]);
    expect(desktopVersion({ Platform: { Name: 'Docker Engine - Community' } })).toBeUndefined();
  });

  it('host networking from the computer: a local Linux engine yes, a VM or remote engine unknown', () => {
    expect(classifyEngine(facts('linux-debian', { platform: 'linux' })).hostNetworkFromComputer).toEqual({ state: 'yes', cause: 'local' });
    expect(classifyEngine(facts('linux-debian', { platform: 'darwin' })).hostNetworkFromComputer).toEqual({ state: 'unknown', cause: 'vm' });
    expect(classifyEngine(facts('linux-debian', { platform: 'linux', local: false })).hostNetworkFromComputer).toEqual({ state: 'unknown', cause: 'remote' });
    for (const vm of ['colima', 'orbstack', 'rancher-desktop']) expect(classifyEngine(facts(vm)).hostNetworkFromComputer.cause).toBe('vm');
    // Without host networking at all, the computer cannot reach it either.
    const none = classifyEngine(facts('linux-debian', { platform: 'linux', hostNetwork: { kind: 'refused', message: 'no' } }));
    expect(none.hostNetworkFromComputer.state).toBe('no');
  });

  it('IPv6: a dual-stack network created is yes, refused is no with the engine\'s words', () => {
    expect(classifyEngine(facts('colima')).ipv6).toEqual({ state: 'yes', cause: 'ok', defaultBridge: false });
    const refused = classifyEngine(facts('linux-debian', { ipv6: { kind: 'refused', message: 'could not find an available IPv6 pool' }, defaultBridgeIpv6: true }));
    expect(refused.ipv6).toEqual({ state: 'no', cause: 'refused', detail: 'could not find an available IPv6 pool', defaultBridge: true });
    expect(classifyEngine(facts('linux-debian', { ipv6: { kind: 'timeout' } })).ipv6.state).toBe('unknown');
  });

  it('firewall: the engine\'s own FirewallBackend, else Docker\'s only backend, else unknown', () => {
    expect(classifyEngine(facts('linux-docker-29-nftables')).firewall).toEqual({ backend: 'nftables', cause: 'engine-said', detail: 'nftables' });
    const firewalld = facts('linux-docker-29-nftables');
    firewalld.info = { ...firewalld.info, FirewallBackend: { Driver: 'iptables+firewalld' } };
    expect(classifyEngine(firewalld).firewall).toMatchObject({ backend: 'iptables', cause: 'engine-said' });
    expect(classifyEngine(facts('docker-desktop-mac-arm64')).firewall).toEqual({ backend: 'iptables', cause: 'docker-default' });
    expect(classifyEngine(facts('podman')).firewall).toEqual({ backend: 'unknown', cause: 'not-said' });
  });

  it('Windows containers: nothing the lessons need', () => {
    const f = classifyEngine(facts('linux-debian', { info: { OSType: 'windows', OperatingSystem: 'Windows Server 2022 Datacenter', Architecture: 'x86_64' }, version: { Os: 'windows' } }));
    expect([f.hostNetwork.state, f.hostNetworkFromComputer.state, f.ipv6.state]).toEqual(['no', 'no', 'no']);
    expect(unmetNeeds(['host-network', 'ipv6', 'iptables'], f).map((u) => u.cause)).toEqual(['windows', 'windows', 'windows']);
  });

  it('names architectures as Docker does', () => {
    expect([dockerArch('x86_64'), dockerArch('aarch64'), dockerArch('arm64'), dockerArch(''), dockerArch(undefined)]).toEqual(['amd64', 'arm64', 'arm64', undefined, undefined]);
  });
});

describe('unmetNeeds and unavailableSteps', () => {
  const ok = classifyEngine(facts('linux-debian', { platform: 'linux' }));
  const noHost: DoctorFindings = { ...ok, hostNetwork: { state: 'no', cause: 'bridge-not-seen', detail: 'podman0' } };

  it('a need is unmet only when the doctor found "no"', () => {
    expect(unmetNeeds(['host-network', 'ipv6', 'iptables'], ok)).toEqual([]);
    expect(unmetNeeds(['host-network'], noHost)).toEqual([{ need: 'host-network', cause: 'bridge-not-seen', detail: 'podman0' }]);
    // What the doctor could not tell is tried, not refused.
    const unknown: DoctorFindings = { ...ok, hostNetwork: { state: 'unknown', cause: 'no-image' }, ipv6: { state: 'unknown', cause: 'timeout' } };
    expect(unmetNeeds(['host-network', 'ipv6'], unknown)).toEqual([]);
    expect(unmetNeeds(['host-network'], undefined)).toEqual([]);
    const nft = classifyEngine(facts('linux-docker-29-nftables'));
    expect(unmetNeeds(['iptables', 'iptables'], nft)).toEqual([{ need: 'iptables', cause: 'engine-said', detail: 'nftables' }]);
  });

  it('a Linux-only driver is unmet only when the engine lists its drivers without it', () => {
    const withDrivers = (drivers: string[]): DoctorFindings =>
      classifyEngine(facts('linux-debian', { platform: 'linux', info: { ...fixture('linux-debian').info, Plugins: { Network: drivers } } }));
    expect(withDrivers(['bridge', 'host', 'ipvlan', 'macvlan', 'null', 'overlay']).networkDrivers).toContain('macvlan');
    expect(unmetNeeds(['macvlan', 'ipvlan'], withDrivers(['bridge', 'host', 'ipvlan', 'macvlan', 'null']))).toEqual([]);
    expect(unmetNeeds(['macvlan', 'ipvlan'], withDrivers(['bridge', 'host', 'null']))).toEqual([
      { need: 'macvlan', cause: 'engine-said', detail: 'its network drivers are bridge, host, null' },
      { need: 'ipvlan', cause: 'engine-said', detail: 'its network drivers are bridge, host, null' },
    ]);
    // An engine that does not say is tried.
    const silent = classifyEngine(facts('linux-debian', { platform: 'linux', info: { ...fixture('linux-debian').info, Plugins: null } }));
    expect(unmetNeeds(['macvlan'], silent)).toEqual([]);
  });

  it('marks exactly the steps whose needs are unmet', () => {
    const steps: { id: string; requires: LessonNeed[] }[] = [
      { id: 'run-host', requires: ['host-network'] },
      { id: 'trade-offs', requires: [] },
      { id: 'v6', requires: ['ipv6'] },
    ];
    expect([...unavailableSteps(steps, noHost).keys()]).toEqual(['run-host']);
    expect(unavailableSteps(steps, ok).size).toBe(0);
  });
});
