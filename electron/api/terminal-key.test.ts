import { describe, expect, it } from 'vitest';
import { terminalKey, terminalKind } from './terminal-key';

describe('terminal keys', () => {
  it('names the host shell, the Docker host view and containers apart', () => {
    expect([terminalKind('host'), terminalKey('host')]).toEqual(['host', 'host']);
    expect([terminalKind('docker-host'), terminalKey('docker-host')]).toEqual(['docker-host', 'docker-host']);
    expect([terminalKind('web1'), terminalKey('web1')]).toEqual(['container', 'container:web1']);
    // A container a learner named "host" is not the host shell.
    expect(terminalKey('host', 'container')).toBe('container:host');
  });
});
