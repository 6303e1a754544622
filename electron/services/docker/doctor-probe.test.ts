import { describe, expect, it } from 'vitest';
import { readProbeOutput } from './doctor-probe';

describe('readProbeOutput', () => {
  it('reads the interfaces and IPv6 on', () => {
    expect(readProbeOutput('docker0\neth0\nlo\n--ipv6--\n0\n')).toEqual({ interfaces: ['docker0', 'eth0', 'lo'], ipv6: { kind: 'available' } });
  });

  it('IPv6 turned off, or a kernel without it, is a no; anything else is not a guess', () => {
    expect(readProbeOutput('eth0 lo\n--ipv6--\n1\n').ipv6).toMatchObject({ kind: 'refused', message: expect.stringContaining('disable_ipv6 = 1') });
    expect(readProbeOutput('eth0 lo\n--ipv6--\n').ipv6).toMatchObject({ kind: 'refused', message: expect.stringContaining('no IPv6') });
    expect(readProbeOutput('eth0 lo\n--ipv6--\nweird\n').ipv6).toMatchObject({ kind: 'error' });
    // The interface list alone never passes for IPv6 on.
    expect(readProbeOutput('docker0 eth0').ipv6.kind).not.toBe('available');
  });
});
