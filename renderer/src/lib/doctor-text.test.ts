import { describe, expect, it } from 'vitest';
import type { DoctorCause, DoctorFindings, EngineKind } from '../../../electron/api/types';
import { adviceText, causeText, engineSummary, findingRows, unavailableText, unmetReason } from './doctor-text';

const desktop: DoctorFindings = {
  engine: { kind: 'docker-desktop', os: 'Docker Desktop', osType: 'linux', arch: 'arm64', kernel: '6.10.0-linuxkit', version: '27.1.1', product: 'Docker Desktop 4.33.0 (160616)' },
  hostNetwork: { state: 'yes', cause: 'bridge-seen', detail: 'docker0' },
  hostNetworkFromComputer: { state: 'no', cause: 'desktop-too-old', detail: 'Docker Desktop 4.33.0 (160616)' },
  ipv6: { state: 'no', cause: 'refused', detail: 'could not find an available IPv6 pool', defaultBridge: false },
  firewall: { backend: 'iptables', cause: 'docker-default' },
};

describe('unmet needs in words', () => {
  it('says why and what to do, in both languages', () => {
    const unmet = { need: 'host-network' as const, cause: 'bridge-not-seen' as const, detail: 'podman0' };
    expect(unavailableText('en', [unmet])).toBe(
      'Not available on this engine: host networking: a --network host container does not see podman0: it does not share the network where the engine keeps its bridges',
    );
    expect(unavailableText('zh-CN', [unmet])).toBe('在此引擎上不可用：host 网络：--network host 容器看不到 podman0：它和引擎存放网桥的网络并不共用');
    expect(adviceText('en', unmet)).toContain('podman machine set --rootful');
    expect(adviceText('zh-CN', unmet)).toContain('podman machine set --rootful');
  });

  it('falls back to the need\'s general advice, and to Linux containers for a Windows engine', () => {
    expect(adviceText('en', { need: 'host-network', cause: 'timeout' })).toContain('Docker Engine on Linux');
    expect(adviceText('en', { need: 'ipv6', cause: 'refused', detail: 'x' })).toContain('"ipv6": true');
    expect(adviceText('en', { need: 'iptables', cause: 'engine-said', detail: 'nftables' })).toContain('nft list ruleset');
    expect(adviceText('zh-CN', { need: 'ipv6', cause: 'windows' })).toContain('Linux 容器');
    expect(unmetReason('en', { need: 'iptables', cause: 'engine-said', detail: 'nftables' })).toBe('Docker’s iptables rules: the engine says nftables');
  });

  it('has words for every cause and every kind, in both languages', () => {
    const causes: DoctorCause[] = ['ok', 'bridge-seen', 'bridge-not-seen', 'refused', 'no-image', 'timeout', 'error', 'windows', 'desktop-too-old', 'desktop-setting', 'vm', 'remote', 'local', 'engine-said', 'docker-default', 'not-said'];
    for (const locale of ['en', 'zh-CN'] as const) {
      for (const cause of causes) expect(causeText(locale, cause, 'X')).not.toMatch(/^doctor\.|\{detail\}/);
      const kinds: EngineKind[] = ['linux', 'docker-desktop', 'colima', 'orbstack', 'rancher-desktop', 'podman', 'windows', 'unknown'];
      for (const kind of kinds) expect(engineSummary(locale, { ...desktop, engine: { kind } })).not.toMatch(/^doctor\./);
    }
  });
});

describe('the preflight\'s rows', () => {
  it('puts each state in words, with advice only where something is missing', () => {
    const rows = findingRows('en', desktop);
    expect(rows.map((r) => [r.key, r.value])).toEqual([
      ['hostNetwork', 'yes'],
      ['fromComputer', 'no'],
      ['ipv6', 'no'],
      ['firewall', 'iptables'],
    ]);
    expect(rows[0]!.advice).toBeUndefined();
    expect(rows[0]!.why).toBe('a --network host container sees docker0, the engine’s bridge');
    expect(rows[1]!.advice).toContain('Enable host networking');
    expect(rows[2]!.why).toBe('the engine refused: could not find an available IPv6 pool');
    expect(rows[2]!.advice).toContain('daemon.json');
    expect(rows[3]!.advice).toBeUndefined();
  });

  it('points at Docker Desktop\'s setting from 4.34, where NetLab cannot see it', () => {
    const rows = findingRows('zh-CN', { ...desktop, hostNetworkFromComputer: { state: 'unknown', cause: 'desktop-setting' } });
    expect(rows[1]).toMatchObject({ value: '未知', advice: expect.stringContaining('Enable host networking') });
  });

  it('sums up the engine', () => {
    expect(engineSummary('en', desktop)).toBe('Docker Desktop 4.33.0 (160616) · linux/arm64 · 6.10.0-linuxkit');
    expect(engineSummary('en', { ...desktop, engine: { kind: 'linux', os: 'Debian GNU/Linux 12 (bookworm)', osType: 'linux', arch: 'amd64' } })).toBe(
      'Docker Engine on Linux · Debian GNU/Linux 12 (bookworm) · linux/amd64',
    );
  });
});
