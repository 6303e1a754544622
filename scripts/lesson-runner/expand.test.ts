import { describe, expect, it } from 'vitest';
import type { ContainerNode, Topology } from '../../electron/api/types';
import { expandCommand, hostMarkedLine, markedLine } from './expand';

function container(name: string, networks: [string, string][]): ContainerNode {
  return {
    id: `id-${name}`,
    name,
    image: 'busybox',
    state: 'running',
    networkMode: networks[0]?.[0] ?? 'none',
    networks: networks.map(([network, ip]) => ({ network, ip, mac: '02:42:ac:11:00:02', gateway: '' })),
    createdByLab: true,
  };
}

const topology: Topology = {
  networks: [],
  containers: [container('a', [['bridge', '172.17.0.2'], ['net1', '10.1.0.5']]), container('b', [['net1', '10.1.0.6']])],
};

describe('solution command expansion', () => {
  it('replaces ${ip:C@N} with the live address, every occurrence', () => {
    expect(expandCommand('docker exec b ping -c 1 ${ip:a@net1} && echo ${ip:a@bridge} ${ip:b@net1}', topology)).toEqual({
      ok: true,
      command: 'docker exec b ping -c 1 10.1.0.5 && echo 172.17.0.2 10.1.0.6',
    });
  });

  it('leaves a command without references alone, shell substitutions included', () => {
    const cmd = "docker exec a ping -c 2 $(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' b)";
    expect(expandCommand(cmd, topology)).toEqual({ ok: true, command: cmd });
  });

  it('says which container or network is missing', () => {
    const noNet = expandCommand('ping ${ip:b@bridge}', topology);
    expect(noNet.ok).toBe(false);
    expect(!noNet.ok && noNet.error).toMatch(/cannot expand the address in "ping \$\{ip:b@bridge\}": .*b.*bridge/);
    const noBox = expandCommand('ping ${ip:zz@net1}', topology);
    expect(!noBox.ok && noBox.error).toMatch(/zz/);
  });
});

describe('marked lines for shells without command events', () => {
  it('types the command, then a printf whose output alone holds the marker', () => {
    const { line, marker } = markedLine('ip link', 7);
    expect(marker).toBe('__NETLAB_DONE_7__');
    expect(line).toBe("ip link\rprintf '\\n__NETLAB_DONE_%s__\\n' 7\r");
    // The echo of what was typed can never contain the marker.
    expect(line).not.toContain(marker);
  });
});

describe('marked host lines for shells without prompt hooks', () => {
  it('puts a printf of the marker and the exit status on the command\'s own line', () => {
    const { line, done } = hostMarkedLine('docker network ls', 3);
    expect(line).toBe(`docker network ls; printf '\\n__NETLAB_DONE_%s_%s__\\n' 3 "$?"\r`);
    expect(done.exec('\n__NETLAB_DONE_3_1__\n')?.[1]).toBe('1');
    // The echo of what was typed can never match, nor can another command's marker.
    expect(done.test(line)).toBe(false);
    expect(done.test('__NETLAB_DONE_33_0__')).toBe(false);
  });

  it('asks fish for $status, every other shell for $?', () => {
    expect(hostMarkedLine('true', 1, '/usr/bin/fish').line).toMatch(/ 1 \$status\r$/);
    expect(hostMarkedLine('true', 1, '/bin/sh').line).toMatch(/ 1 "\$\?"\r$/);
  });

  it('never writes a second separator after & or ;', () => {
    expect(hostMarkedLine('sleep 1 &', 1).line).toMatch(/^sleep 1 & printf /);
    expect(hostMarkedLine('true; ', 1).line).toMatch(/^true; printf /);
    expect(hostMarkedLine('true && false', 1).line).toMatch(/^true && false; printf /);
  });

  it('puts the marker on a line of its own after a here-document', () => {
    const { line } = hostMarkedLine("cat > compose.yaml <<'EOF'\nservices: {}\nEOF", 2);
    expect(line).toBe(`cat > compose.yaml <<'EOF'\nservices: {}\nEOF\nprintf '\\n__NETLAB_DONE_%s_%s__\\n' 2 "$?"\r`);
  });
});
