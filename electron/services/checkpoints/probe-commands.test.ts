import { describe, expect, it } from 'vitest';
import { probeCommandProblem } from './probe-commands';

describe('probeCommandProblem', () => {
  it.each([
    [['ip', 'addr']],
    [['ip', '-4', 'addr', 'show', 'eth0']],
    [['ip', 'link', 'show', 'dev', 'eth0']],
    [['ip', 'route']],
    [['ls', '/sys/class/net']],
    [['ls', '-l', '/tmp/from-bbox04']],
    [['cat', '/etc/resolv.conf']],
    [['cat', '/proc/net/dev']],
    [['cat', '/sys/class/net/eth0/address']],
    [['ping', '-c1', '-W1', 'custom_bbox03']],
    [['ping', '-c', '2', '${ip:fx_box@fx_net}']],
    [['wget', '-q', '-O-', 'http://127.0.0.1/']],
    [['wget', '-q', '-O', '-', 'http://web1:80/index.html']],
    [['nslookup', 'web1']],
    [['nslookup', 'web1', '127.0.0.11']],
    [['ps']],
    [['true']],
    [['ip', 'netns']],
    [['ip', 'netns', 'list']],
    [['ip', '-n', 'ns1', 'addr', 'show', 'veth1']],
    [['ip', '-netns', 'ns1', '-br', 'link']],
    [['ip', 'netns', 'exec', 'ns1', 'ping', '-c1', '-W1', '10.0.0.2']],
    [['ip', 'netns', 'exec', 'ns2', 'ip', 'route']],
    [['ip', 'netns', 'exec', 'ns2', 'cat', '/sys/class/net/veth2/iflink']],
  ])('lets the read-only probe %j run', (command) => {
    expect(probeCommandProblem(command)).toBeUndefined();
  });

  it.each([
    [['sh', '-c', 'cat /etc/shadow'], 'not a command a probe may run'],
    [['rm', '-rf', '/'], 'not a command a probe may run'],
    [['docker', 'ps'], 'not a command a probe may run'],
    [['ip', 'link', 'set', 'eth0', 'down'], 'may only show'],
    [['ip', 'addr', 'add', '10.0.0.1/8', 'dev', 'eth0'], 'may only show'],
    [['ip', 'netns', 'exec', 'x', 'sh'], '"sh" is not a command'],
    [['ip', 'netns', 'add', 'x'], 'ip netns add'],
    [['ip', 'netns', 'a', 'x'], 'ip netns a'],
    [['ip', 'netns', 'delete', 'x'], 'ip netns delete'],
    [['ip', 'netns', 'list', 'x'], 'ip netns list'],
    [['ip', 'netns', 'exec', 'ns1', 'ip', 'link', 'set', 'veth1', 'down'], 'may only show'],
    [['ip', 'netns', 'exec', 'ns1', 'ip', 'netns', 'exec', 'ns2', 'true'], 'cannot run another'],
    [['ip', 'netns', 'exec', '../../proc/1/ns/net', 'true'], 'namespace name'],
    [['ip', 'netns', 'exec', 'ns1'], 'needs a command'],
    [['ip', '-n', 'ns1', 'netns', 'exec', 'ns2', 'true'], 'ip addr, ip link'],
    [['ip', '-n', 'ns1', 'link', 'del', 'veth1'], 'may only show'],
    [['ip', '-n', '/proc/1/ns/net', 'link'], 'namespace name'],
    [['ip', '-n'], 'namespace name'],
    [['ip', '-all', 'netns', 'exec', 'true'], 'option "-all"'],
    [['constructor'], 'not a command a probe may run'],
    [['hasOwnProperty'], 'not a command a probe may run'],
    [['ip', '-batch', '/tmp/x'], 'option "-batch"'],
    [['ip', 'addr', 'show', 'dev', 'eth0;reboot'], 'argument'],
    [['cat', '/etc/shadow'], 'not "/etc/shadow"'],
    [['cat', '/sys/../etc/shadow'], 'not "/sys/../etc/shadow"'],
    [['cat', '/proc/1/environ'], 'not "/proc/1/environ"'],
    [['ping', 'web1'], 'add -c N'],
    [['ping', '-c', '100000', 'web1'], 'needs a number'],
    [['ping', '-c1', '-f', 'web1'], 'option "-f"'],
    [['wget', 'http://web1/'], 'add -O-'],
    [['wget', '-O', '/etc/passwd', 'http://web1/'], 'option "-O"'],
    [['wget', '-O-', '--post-data', 'x', 'http://web1/'], 'option "--post-data"'],
    [['wget', '-O-', 'file:///etc/shadow'], 'not an http(s) URL'],
    // Debian's busybox 1.35 (the offline lab images) dies on -T, whatever the server does.
    [['wget', '-q', '-O-', '-T', '2', 'http://web1/'], 'wget -T crashes'],
    [['wget', '-q', '-O-', '-T2', 'http://web1/'], 'wget -T crashes'],
    [['ls', '/tmp/../../root'], 'argument'],
    [['true', 'x'], 'no arguments'],
  ])('refuses %j', (command, message) => {
    expect(probeCommandProblem(command)).toContain(message);
  });
});
