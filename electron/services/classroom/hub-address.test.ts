import { describe, expect, it } from 'vitest';
import { describeListenHost, formatHostPort, parseHostPort } from './hub-address';

describe('parseHostPort', () => {
  it('reads IPv4, bracketed IPv6 and names', () => {
    expect(parseHostPort('192.168.1.10:7443')).toEqual({ host: '192.168.1.10', port: 7443 });
    expect(parseHostPort('[fe80::1]:7443')).toEqual({ host: 'fe80::1', port: 7443 });
    expect(parseHostPort('teacher.local:80')).toEqual({ host: 'teacher.local', port: 80 });
    expect(formatHostPort({ host: 'fe80::1', port: 7443 })).toBe('[fe80::1]:7443');
  });

  it('has no default host and refuses what is not HOST:PORT', () => {
    for (const bad of ['7443', ':7443', '192.168.1.10', '192.168.1.10:70000', 'fe80::1:7443', '[zz::1]:1', 'a b:1']) {
      expect(() => parseHostPort(bad), bad).toThrow(/is not HOST:PORT/);
    }
  });
});

describe('describeListenHost', () => {
  const ifaces = { wlp2s0: [{ address: '192.168.1.10', family: 'IPv4', internal: false, netmask: '255.255.255.0', mac: '', cidr: null }] } as unknown as Parameters<typeof describeListenHost>[1];
  it('names the network the class can be reached from', () => {
    expect(describeListenHost('192.168.1.10', ifaces)).toMatch(/interface wlp2s0/);
    expect(describeListenHost('0.0.0.0', ifaces)).toMatch(/every network/);
    expect(describeListenHost('127.0.0.1', ifaces)).toMatch(/this computer only/);
    expect(describeListenHost('10.9.9.9', ifaces)).toMatch(/not an address of this computer/);
  });
});
