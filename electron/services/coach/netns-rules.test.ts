import { describe, expect, it } from 'vitest';
import type { CommandRecord, ContainerNode, Topology } from '../../api/types';
import { coach } from './coach';

function box(name: string, image: string, state = 'running'): ContainerNode {
  return {
    id: `abc123${name}`,
    name,
    image,
    state,
    networkMode: 'bridge',
    networks: [{ network: 'bridge', ip: '172.17.0.2', mac: '02:42:00:00:00:01', gateway: '' }],
    createdByLab: true,
  } as ContainerNode;
}

function topo(containers: ContainerNode[]): Topology {
  return { networks: [{ id: 'id-bridge', name: 'bridge', driver: 'bridge', builtin: true, createdByLab: false }], containers };
}

function hint(command: string, exitCode: number, containers: ContainerNode[], lesson = { containers: ['nslab'], networks: [] }) {
  const record: CommandRecord = { terminalId: 'host-1', command, exitCode, finishedAt: '2025-01-01T00:00:00.000Z' };
  return coach({ record, topology: topo(containers), lesson });
}

describe('netns coach rules', () => {
  const netshoot = box('nslab', 'nicolaka/netshoot');

  it('netns-add-failed-in-container: SYS_ADMIN (and AppArmor) for iproute2, the image for busybox', () => {
    const h = hint('docker exec nslab ip netns add ns1', 1, [netshoot]);
    expect(h?.rule).toBe('netns-add-failed-in-container');
    expect(h?.message.en).toContain('SYS_ADMIN');
    expect(h?.message.en).toContain('docker rm -f nslab');
    expect(h?.message['zh-CN']).toContain('SYS_ADMIN');
    const busy = hint('docker exec nslab ip netns add ns1', 1, [box('nslab', 'busybox')]);
    expect(busy?.message.en).toContain('nicolaka/netshoot');
    expect(busy?.message.en).not.toContain('SYS_ADMIN');
    // Shortened, with options: still ip netns add.
    expect(hint('docker exec -it nslab ip -4 netns a ns1', 1, [netshoot])?.rule).toBe('netns-add-failed-in-container');
  });

  it('netns-add-failed-in-container: silent when it worked, for other ip commands, or a stopped container', () => {
    expect(hint('docker exec nslab ip netns add ns1', 0, [netshoot])).toBeUndefined();
    expect(hint('docker exec nslab ip netns list', 1, [netshoot])).toBeUndefined();
    expect(hint('docker exec nslab ip link add veth1 type veth peer name veth1-br', 2, [netshoot])).toBeUndefined();
    expect(hint('docker exec nslab ip netns add ns1', 1, [box('nslab', 'nicolaka/netshoot', 'exited')])?.rule).not.toBe('netns-add-failed-in-container');
  });

  it('netns-in-host-shell: points at the lab container, only while it runs', () => {
    const h = hint('ip netns add ns1', 1, [netshoot]);
    expect(h?.rule).toBe('netns-in-host-shell');
    expect(h?.message.en).toContain('docker exec nslab ip netns add ns1');
    expect(h?.message['zh-CN']).toContain('docker exec nslab ip netns add ns1');
    expect(hint('sudo ip netns add ns1', 1, [netshoot])).toBeUndefined();
    expect(hint('ip netns add ns1', 0, [netshoot])).toBeUndefined();
    expect(hint('ip netns add ns1', 1, [box('nslab', 'busybox')])).toBeUndefined();
    expect(hint('ip netns add ns1', 1, [netshoot], { containers: [], networks: [] })).toBeUndefined();
  });
});
