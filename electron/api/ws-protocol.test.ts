import { describe, expect, it } from 'vitest';
import { API_PROTOCOL, credentialProtocols, launchMintId, launchProtocols } from './ws-protocol';

describe('ws-protocol', () => {
  it('offers the API protocol beside the credential or the code', () => {
    expect(credentialProtocols('abc')).toEqual([API_PROTOCOL, 'netlab.auth.abc']);
    expect(launchProtocols('xyz')).toEqual([API_PROTOCOL, 'netlab.launch.xyz']);
  });

  it('recognises a launch.mint request and nothing else', () => {
    expect(launchMintId({ type: 'launch.mint', id: 3 })).toBe(3);
    for (const frame of [null, [], { type: 'launch.mint' }, { type: 'launch.mint', id: -1 }, { type: 'launch.mint', id: 1.5 }, { type: 'call', id: 1, method: 'launch.mint' }]) {
      expect(launchMintId(frame), JSON.stringify(frame)).toBeUndefined();
    }
  });
});
