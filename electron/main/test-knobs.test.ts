import { describe, expect, it } from 'vitest';
import { testKnobs } from './test-knobs';

const ENV = { NETLAB_TEST_USER_DATA: '/tmp/netlab-e2e-x', NETLAB_TEST_CLEAN_SHELL: '1', NETLAB_TEST_SHELL: '/usr/bin/zsh' };

describe('testKnobs', () => {
  it('an unpackaged build takes the e2e suite\'s data folder and clean shell', () => {
    expect(testKnobs(false, ENV)).toEqual({ userData: '/tmp/netlab-e2e-x', cleanShell: true, shell: '/usr/bin/zsh' });
  });

  it('a packaged app ignores them', () => {
    expect(testKnobs(true, ENV)).toEqual({ cleanShell: false });
  });

  it('unset, empty or another value changes nothing', () => {
    expect(testKnobs(false, {})).toEqual({ cleanShell: false });
    expect(testKnobs(false, { NETLAB_TEST_USER_DATA: '', NETLAB_TEST_CLEAN_SHELL: 'true', NETLAB_TEST_SHELL: '' })).toEqual({ cleanShell: false });
  });
});
