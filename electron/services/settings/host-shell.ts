// Which program a host terminal runs: --shell for this run (the services'
// shell option), else the choice saved in Settings, else the learner's login
// shell. It is asked at each open, so a choice made in Settings applies to the
// host terminals opened after it, without a restart, and from then on wins
// over --shell too (it is the learner's latest word).
import { LabError } from '../../api/errors';
import type { HostShellSettings, ShellOption } from '../../api/types';
import { findShells, isIntegrated, loginShell, shellKind, shellPathProblem, type ShellProbe } from '../terminals/host-shells';
import type { SettingsStore } from './settings-store';

export class HostShellSetting {
  private override: string | undefined;

  constructor(
    private readonly store: SettingsStore,
    private readonly probe: ShellProbe,
    /** --shell: this run's shell, until the learner chooses one in Settings. */
    override?: string,
  ) {
    this.override = override;
  }

  /** The program for a host terminal opened now. */
  program(): string {
    return this.resolve().file;
  }

  /** Throws, saying why, when a path cannot be the host shell. */
  check(path: string): void {
    const problem = shellPathProblem(path, this.probe);
    if (problem) throw new LabError(`Cannot use ${path} as the host shell: ${problem}`, 'invalid');
  }

  /** A choice was saved (or cleared): it applies from now on, over --shell. */
  chosen(): void {
    this.override = undefined;
  }

  view(): HostShellSettings {
    const { file, source, warning } = this.resolve();
    const chosen = this.store.get().hostShell;
    return {
      current: this.option(file),
      source,
      ...(chosen ? { chosen } : {}),
      login: this.option(loginShell(this.probe)),
      found: findShells(this.probe).map((path) => this.option(path)),
      ...(warning ? { warning } : {}),
    };
  }

  private resolve(): { file: string; source: HostShellSettings['source']; warning?: string } {
    if (this.override) return { file: this.override, source: 'command-line' };
    const chosen = this.store.get().hostShell;
    if (chosen) {
      const problem = shellPathProblem(chosen, this.probe);
      if (!problem) return { file: chosen, source: 'chosen' };
      return { file: loginShell(this.probe), source: 'login', warning: `The chosen host shell cannot run: ${problem} Your login shell runs instead.` };
    }
    return { file: loginShell(this.probe), source: 'login' };
  }

  private option(path: string): ShellOption {
    return { path, integrated: isIntegrated(shellKind(path), this.probe.platform) };
  }
}
