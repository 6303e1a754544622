import { describe, expect, it } from 'vitest';
import type { AppSettings, HostShellSettings } from '../../../electron/api/types';
import { HostShellChoice, LOGIN_SHELL, OTHER_SHELL } from './host-shell-choice.svelte';

const shells: HostShellSettings = {
  current: { path: '/bin/bash', integrated: true },
  source: 'login',
  login: { path: '/bin/bash', integrated: true },
  found: [
    { path: '/bin/bash', integrated: true },
    { path: '/usr/bin/fish', integrated: true },
  ],
};

function fakeApi(refuse?: string) {
  const saved: (string | null)[] = [];
  return {
    saved,
    api: {
      save: async (hostShell: string | null) => {
        saved.push(hostShell);
        if (refuse) throw new Error(refuse);
        return { hostShell: { ...shells, ...(hostShell ? { chosen: hostShell } : {}) } } as AppSettings;
      },
    },
  };
}

describe('HostShellChoice', () => {
  it('shows the saved choice: none, a found shell, or another path', () => {
    const choice = new HostShellChoice(fakeApi().api);
    choice.load(shells);
    expect([choice.selected, choice.value]).toEqual([LOGIN_SHELL, null]);
    choice.load({ ...shells, chosen: '/usr/bin/fish' });
    expect([choice.selected, choice.value]).toEqual(['/usr/bin/fish', '/usr/bin/fish']);
    choice.load({ ...shells, chosen: '/opt/shells/nu' });
    expect([choice.selected, choice.customPath, choice.value]).toEqual([OTHER_SHELL, '/opt/shells/nu', '/opt/shells/nu']);
  });

  it('saves the login shell as null and a path trimmed; another program needs a path first', async () => {
    const { api, saved } = fakeApi();
    const choice = new HostShellChoice(api);
    choice.load(shells);
    expect((await choice.save())?.hostShell.chosen).toBeUndefined();
    choice.selected = OTHER_SHELL;
    choice.customPath = '  ';
    expect(choice.canSave).toBe(false);
    expect(await choice.save()).toBeUndefined();
    choice.customPath = ' /opt/shells/nu ';
    expect((await choice.save())?.hostShell.chosen).toBe('/opt/shells/nu');
    expect(saved).toEqual([null, '/opt/shells/nu']);
    expect(choice.outcome).toEqual({ ok: true });
  });

  it('keeps the main process’s reason when it refuses a path', async () => {
    const choice = new HostShellChoice(fakeApi('Cannot use /etc as the host shell: /etc is not a file.').api);
    choice.selected = OTHER_SHELL;
    choice.customPath = '/etc';
    expect(await choice.save()).toBeUndefined();
    expect(choice.outcome).toEqual({ ok: false, message: 'Cannot use /etc as the host shell: /etc is not a file.' });
    expect(choice.busy).toBe(false);
  });
});
