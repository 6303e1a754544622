// The port rule with records as input: a start refused because its host port
// is taken (messages as Docker 20.10 words them, read from the real engine, and
// Docker 28's wording) fires it through the coach's default engine rules; other
// refused starts, and a start that worked, do not.
import { describe, expect, it } from 'vitest';
import type { ContainerNode, Topology } from '../../api/types';
import type { EngineRecord } from '../relay/engine-record';
import { coachRecords } from './coach';
import { takenPort } from './port-rules';

const ID = 'b811926e47993565cf145146d0fb7f283a6a889b8cfdf97a62d8cf0bec0da5bb';
const ALLOCATED =
  'driver failed programming external connectivity on endpoint web5 (1aa5199c47851d0afca758bce184a0e149f7a8a1368e72323b276a3ebe37e8ed): Bind for 0.0.0.0:18080 failed: port is already allocated';
const IN_USE =
  'driver failed programming external connectivity on endpoint web5 (4a54fcf5a31a097669f87b1058cdd7f0a956ddbc90d0dc14163697e28a0af55a): Error starting userland proxy: listen tcp4 0.0.0.0:18091: bind: address already in use';
const DOCKER_28 =
  'failed to set up container networking: driver failed programming external connectivity on endpoint web5 (0123): failed to bind host port for 127.0.0.1:18082:172.17.0.3:80/tcp: address already in use';

function web(name: string, state: string): ContainerNode {
  return { id: ID, name, image: 'httpd', state, networkMode: 'bridge', networks: [], createdByLab: true };
}

function topo(containers: ContainerNode[] = []): Topology {
  return { networks: [], containers };
}

let seq = 0;
function start(status: number, error?: string, target = ID): EngineRecord {
  return { seq: ++seq, at: '2026-01-01T00:00:00.000Z', op: 'container.start', method: 'POST', path: `/containers/${target}/start`, query: {}, target, status, durationMs: 1, ...(error ? { error } : {}) };
}

function hints(records: EngineRecord[], topology = topo()): ReturnType<typeof coachRecords> {
  return coachRecords({ records, topology, lesson: { containers: ['web1', 'web5'], networks: [], images: ['httpd'] } });
}

describe('takenPort', () => {
  it('reads the address, the port and who holds it from each wording', () => {
    expect(takenPort(ALLOCATED)).toEqual({ address: '0.0.0.0', port: '18080', allocated: true });
    expect(takenPort(IN_USE)).toEqual({ address: '0.0.0.0', port: '18091', allocated: false });
    expect(takenPort(DOCKER_28)).toEqual({ address: '127.0.0.1', port: '18082', allocated: false });
    expect(takenPort('Cannot start container web5: No such container')).toBeUndefined();
  });
});

describe('the port-taken rule', () => {
  it('explains a port another container publishes, and the container the failed run left behind', () => {
    const [hint, ...rest] = hints([start(500, ALLOCATED)], topo([web('web5', 'created')]));
    expect(rest).toEqual([]);
    expect(hint?.rule).toBe('port-taken');
    expect(hint?.source).toBe('engine');
    expect(hint?.message.en).toContain('Host port 18080 is already published by another container');
    expect(hint?.message.en).toContain('`docker ps`');
    expect(hint?.message.en).toContain('`-p 18081:…`');
    expect(hint?.message.en).toContain('`docker rm web5`');
    expect(hint?.message['zh-CN']).toContain('18080 端口已被另一个容器发布');
    expect(hint?.message['zh-CN']).toContain('`docker rm web5`');
  });

  it('explains a port a program outside Docker holds, naming one address when the binding had one', () => {
    const [program] = hints([start(500, IN_USE)], topo([web('web5', 'created')]));
    expect(program?.rule).toBe('port-taken');
    expect(program?.message.en).toMatch(/^Something on the host already listens on port 18091/);
    expect(program?.message.en).toContain('`lsof -i :18091`');
    const [loopback] = hints([start(500, DOCKER_28)], topo([web('web5', 'created')]));
    expect(loopback?.message.en).toMatch(/^Something on the host's address 127\.0\.0\.1 already listens on port 18082/);
    expect(loopback?.message['zh-CN']).toContain('主机地址 127.0.0.1 上');
  });

  it('names the container from the endpoint when the model does not know it yet', () => {
    const [hint] = hints([start(500, ALLOCATED)]);
    expect(hint?.message.en).toContain('could not start web5');
    expect(hint?.message.en).toContain('`docker rm web5`');
  });

  it('does not tell the learner to remove a container that ran before (docker start of an exited one)', () => {
    const [hint] = hints([start(500, ALLOCATED)], topo([web('web5', 'exited')]));
    expect(hint?.rule).toBe('port-taken');
    expect(hint?.message.en).not.toContain('docker rm web5');
  });

  it('stays silent for a start that worked and for other refusals', () => {
    expect(hints([start(204)], topo([web('web5', 'running')]))).toEqual([]);
    const other = hints([start(500, 'OCI runtime create failed: exec: "httpd": executable file not found')], topo([web('web5', 'created')]));
    expect(other.map((h) => h.rule)).not.toContain('port-taken');
  });
});
