// The lab doctor's probes against this machine's real engine (a plain Linux
// engine): a --network host container from the lab's busybox sees docker0, a
// dual-stack network can be created, and nothing the probes made is left behind.
import Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';
import type { EngineInfo, EngineVersion } from '../../electron/services/docker/doctor';
import { DOCTOR_LABEL_VALUE, removeStaleProbes, runDoctor } from '../../electron/services/docker/doctor-probe';
import { APP_LABEL } from '../../electron/services/docker/host-view';
import { examineEngine } from '../../electron/services/docker/preflight';

const SOCKET = '/var/run/docker.sock';
const docker = new Dockerode({ socketPath: SOCKET });
const PREFIX = 'e18doctor-itest';

async function engineFacts(): Promise<{ info: EngineInfo; version: EngineVersion }> {
  const [info, version] = await Promise.all([docker.info() as Promise<EngineInfo>, docker.version()]);
  return { info, version };
}

async function leftovers(prefix = PREFIX): Promise<string[]> {
  const [containers, networks] = await Promise.all([
    docker.listContainers({ all: true, filters: { name: [prefix] } }),
    docker.listNetworks({ filters: { name: [prefix] } }),
  ]);
  return [...containers.flatMap((c) => c.Names), ...networks.map((n) => n.Name)];
}

describe('runDoctor on the real engine', () => {
  it('finds a plain Linux engine whose host-mode containers see docker0, and cleans up', async () => {
    const facts = await engineFacts();
    const findings = await runDoctor(docker, { ...facts, endpoint: `unix://${SOCKET}`, image: 'busybox', timeoutMs: 20_000, namePrefix: PREFIX, platform: 'linux' });
    expect(findings.engine.kind).toBe('linux');
    expect(findings.engine.arch).toBe(facts.version.Arch);
    expect(findings.engine.os).toBe(facts.info.OperatingSystem);
    expect(findings.hostNetwork).toEqual({ state: 'yes', cause: 'bridge-seen', detail: 'docker0' });
    expect(findings.hostNetworkFromComputer).toEqual({ state: 'yes', cause: 'local' });
    // This engine can create a dual-stack network (the probe's own, removed at once).
    expect(findings.ipv6).toMatchObject({ state: 'yes', cause: 'ok', defaultBridge: false });
    expect(findings.firewall).toEqual({ backend: 'iptables', cause: 'docker-default' });
    await expect.poll(leftovers).toEqual([]);
  });

  it('without a lab image, says host networking and IPv6 are unknown instead of guessing', async () => {
    const facts = await engineFacts();
    const findings = await runDoctor(docker, { ...facts, endpoint: `unix://${SOCKET}`, image: undefined, timeoutMs: 20_000, namePrefix: PREFIX, platform: 'linux' });
    expect(findings.hostNetwork).toEqual({ state: 'unknown', cause: 'no-image' });
    expect(findings.ipv6.state).toBe('unknown');
    // A vanished image is not a refusal either.
    const gone = await runDoctor(docker, { ...facts, endpoint: `unix://${SOCKET}`, image: 'e18doctor-no-such-image:nope', timeoutMs: 20_000, namePrefix: PREFIX });
    expect(gone.hostNetwork).toEqual({ state: 'unknown', cause: 'no-image' });
    await expect.poll(leftovers).toEqual([]);
  });

  it('an engine reached over tcp:// is not vouched for from this computer', async () => {
    const facts = await engineFacts();
    const findings = await runDoctor(docker, { ...facts, endpoint: 'tcp://10.0.0.5:2376', image: 'busybox', timeoutMs: 20_000, namePrefix: PREFIX, platform: 'linux' });
    expect(findings.hostNetwork.state).toBe('yes');
    expect(findings.hostNetworkFromComputer).toEqual({ state: 'unknown', cause: 'remote' });
    await expect.poll(leftovers).toEqual([]);
  });

  it('its probe container carries the app label, so a sweep of the app\'s helpers would find one left by a crash', async () => {
    const { hostNetworkProbeSpec } = await import('../../electron/services/docker/doctor-probe');
    const spec = hostNetworkProbeSpec(`${PREFIX}-spec`, 'busybox');
    expect(spec.Labels?.[APP_LABEL]).toBe('doctor');
    expect(spec.HostConfig).toMatchObject({ NetworkMode: 'host', CapDrop: ['ALL'], ReadonlyRootfs: true });
    expect(spec.User).toBe('65534:65534');
  });
});

describe('examineEngine: the preflight screen\'s doctor', () => {
  it('probes with the lab\'s busybox when it is here', async () => {
    const findings = await examineEngine(docker, `unix://${SOCKET}`, ['httpd', 'busybox'], 20_000);
    expect(findings?.engine.kind).toBe('linux');
    expect(findings?.hostNetwork.state).toBe('yes');
    await expect.poll(() => leftovers('netlab-doctor-')).toEqual([]);
  });

  it('with no busybox here, leaves host networking unknown', async () => {
    const findings = await examineEngine(docker, `unix://${SOCKET}`, ['e18doctor-no-such-image:nope'], 20_000);
    expect(findings?.hostNetwork).toEqual({ state: 'unknown', cause: 'no-image' });
  });

  it('finds nothing for an engine that cannot be reached', async () => {
    expect(await examineEngine(new Dockerode({ socketPath: '/tmp/e18doctor/missing.sock' }), 'unix:///tmp/e18doctor/missing.sock', ['busybox'])).toBeUndefined();
  });
});

describe('what the doctor changes on the engine', () => {
  it('creates no network: a new bridge changes the host\'s addresses, and Chromium drops the page\'s requests when they change', async () => {
    const facts = await engineFacts();
    const since = Math.floor(Date.now() / 1000) - 1;
    await runDoctor(docker, { ...facts, endpoint: `unix://${SOCKET}`, image: 'busybox', timeoutMs: 20_000, namePrefix: PREFIX, platform: 'linux' });
    const until = Math.floor(Date.now() / 1000) + 1;
    const stream = (await docker.getEvents({ since, until, filters: { type: ['network'], event: ['create'] } })) as NodeJS.ReadableStream;
    let text = '';
    for await (const chunk of stream) text += chunk.toString();
    const created = text.split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { Actor: { Attributes: { name?: string } } }).Actor.Attributes.name);
    expect(created.filter((name) => name?.startsWith(PREFIX))).toEqual([]);
  });
});

describe('probes a killed run left behind', () => {
  it('are removed by the next doctor once stale; a fresh one, and anything without the doctor label, stay', async () => {
    const left = await docker.createNetwork({ Name: `${PREFIX}-left-v6`, Labels: { [APP_LABEL]: DOCTOR_LABEL_VALUE } });
    const other = await docker.createNetwork({ Name: `${PREFIX}-other`, Labels: { [APP_LABEL]: 'host-view' } });
    try {
      // Just made: another window's probe may be running it now.
      await removeStaleProbes(docker);
      expect(await leftovers(`${PREFIX}-left`)).toEqual([`${PREFIX}-left-v6`]);
      // As old as a run killed mid-probe: removed; the other label is not the doctor's.
      await removeStaleProbes(docker, 0);
      expect(await leftovers(`${PREFIX}-left`)).toEqual([]);
      expect(await leftovers(`${PREFIX}-other`)).toEqual([`${PREFIX}-other`]);
    } finally {
      await left.remove().catch(() => undefined);
      await other.remove().catch(() => undefined);
    }
  });
});
