import { describe, expect, it } from 'vitest';
import type { ContainerNode, NetworkNode } from '../../../electron/api/types';
import { mapTable } from './network-map-table';

function network(name: string, driver: string, extra: Partial<NetworkNode> = {}): NetworkNode {
  return { id: `id-${name}`, name, driver, builtin: ['bridge', 'host', 'none'].includes(name), createdByLab: false, ...extra };
}

function container(name: string, networkMode: string, extra: Partial<ContainerNode> = {}): ContainerNode {
  return { id: `id-${name}`, name, image: 'busybox', state: 'running', networkMode, networks: [], createdByLab: true, ...extra };
}

describe('mapTable', () => {
  it('lists every network with its subnet, gateway and how many containers it holds', () => {
    const table = mapTable({
      networks: [network('custom_network', 'bridge', { subnet: '172.18.0.0/16', gateway: '172.18.0.1' }), network('bridge', 'bridge', { subnet: '172.17.0.0/16' }), network('none', 'null')],
      containers: [container('web', 'custom_network', { networks: [{ network: 'custom_network', ip: '172.18.0.2', mac: '02:42:ac:12:00:02', gateway: '172.18.0.1' }] })],
    });
    expect(table.networks).toEqual([
      { name: 'bridge', driver: 'bridge', subnet: '172.17.0.0/16', gateway: '', containers: 0 },
      { name: 'custom_network', driver: 'bridge', subnet: '172.18.0.0/16', gateway: '172.18.0.1', containers: 1 },
      { name: 'none', driver: 'null', subnet: '', gateway: '', containers: 0 },
    ]);
  });

  it('gives each address of a container its own row, networks in order, the name shown once', () => {
    const table = mapTable({
      networks: [],
      containers: [
        container('web', 'custom_network', {
          networks: [
            { network: 'custom_network', ip: '172.18.0.2', mac: '02:42:ac:12:00:02', gateway: '172.18.0.1' },
            { network: 'bridge', ip: '172.17.0.3', mac: '02:42:ac:11:00:03', gateway: '172.17.0.1' },
          ],
        }),
      ],
    });
    expect(table.containers.map((r) => [r.container, r.network, r.ip, r.mac, r.first])).toEqual([
      ['web', 'bridge', '172.17.0.3', '02:42:ac:11:00:03', true],
      ['web', 'custom_network', '172.18.0.2', '02:42:ac:12:00:02', false],
    ]);
    expect(new Set(table.containers.map((r) => r.key)).size).toBe(2);
  });

  it('says how a container without a network of its own is connected, and marks a stopped one', () => {
    const table = mapTable({
      networks: [],
      containers: [
        container('zz-host', 'host'),
        container('loner', 'none', { state: 'exited' }),
        container('side', 'container:web', { joinedTo: 'web' }),
        container('gone', 'custom_network'),
      ],
    });
    expect(table.containers.map((r) => [r.container, r.mode, r.joinedTo, r.ip, r.running])).toEqual([
      ['gone', 'unattached', undefined, '', true],
      ['loner', 'none', undefined, '127.0.0.1', false],
      ['side', 'container', 'web', '', true],
      ['zz-host', 'host', undefined, '', true],
    ]);
  });

  it('is empty for an empty engine', () => {
    expect(mapTable({ networks: [], containers: [] })).toEqual({ networks: [], containers: [] });
  });
});
