// Which program the host shell runs: the learner's login shell by default,
// another one found on this machine or any executable path when chosen, and
// which of them NetLab has prompt integration for (shell-integration.ts).
// Everything here reads the machine through a ShellProbe, so the tests can
// describe any machine (Windows included).
import { accessSync, constants, readFileSync, realpathSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';

/** A shell NetLab integrates with, or 'plain' (sh, dash, cmd, ksh, ...: it runs without marks). */
export type ShellKind = 'bash' | 'zsh' | 'fish' | 'powershell' | 'plain';

export interface ShellProbe {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  /** 'ok' when it is a file this process may run. */
  fileStatus(path: string): FileStatus;
  /** The login shell in the passwd entry (POSIX). */
  passwdShell(): string | undefined;
  /** The lines of /etc/shells (POSIX), comments and all. */
  listedShells(): string[];
  /** The path with its links resolved, to tell two names of one program apart. */
  realPath(path: string): string;
}

type FileStatus = 'ok' | 'missing' | 'not-a-file' | 'not-executable';

/** Interactive shells worth offering when /etc/shells or PATH holds them (not tmux, screen, git-shell, nologin). */
const OFFERED = new Set(['bash', 'zsh', 'fish', 'sh', 'dash', 'ksh', 'mksh', 'oksh', 'yash', 'tcsh', 'csh', 'pwsh', 'nu', 'elvish', 'xonsh']);
const OFFERED_ON_WINDOWS = ['pwsh.exe', 'powershell.exe', 'cmd.exe'];
/** Login shells that refuse a session: never the default. */
const REFUSING = new Set(['nologin', 'false']);

/** The program's name without its folder or .exe, in either path style. */
function programName(file: string): string {
  return (file.split(/[\\/]/).pop() ?? file).replace(/\.exe$/i, '');
}

export function shellKind(file: string): ShellKind {
  const name = programName(file).toLowerCase();
  if (name === 'bash' || name === 'zsh' || name === 'fish') return name;
  if (name === 'pwsh' || name === 'powershell') return 'powershell';
  return 'plain';
}

/** Whether NetLab marks this shell's prompts and commands: PowerShell everywhere, bash, zsh and fish outside Windows. */
export function isIntegrated(kind: ShellKind, platform: NodeJS.Platform): boolean {
  if (kind === 'powershell') return true;
  return kind !== 'plain' && platform !== 'win32';
}

export function systemProbe(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): ShellProbe {
  return {
    env,
    platform,
    fileStatus(path) {
      try {
        if (!statSync(path).isFile()) return 'not-a-file';
      } catch {
        return 'missing';
      }
      try {
        // Windows has no execute bit: X_OK only checks the file is there.
        accessSync(path, constants.X_OK);
        return 'ok';
      } catch {
        return 'not-executable';
      }
    },
    passwdShell() {
      try {
        return userInfo().shell ?? undefined;
      } catch {
        // No passwd entry for this uid (some containers).
        return undefined;
      }
    },
    listedShells() {
      try {
        return readFileSync('/etc/shells', 'utf8').split('\n');
      } catch {
        return [];
      }
    },
    realPath(path) {
      try {
        return realpathSync(path);
      } catch {
        return path;
      }
    },
  };
}

function isAbsolutePath(path: string, platform: NodeJS.Platform): boolean {
  return platform === 'win32' ? /^([A-Za-z]:[\\/]|\\\\)/.test(path) : path.startsWith('/');
}

/** The first executable `name` on PATH. */
export function findOnPath(name: string, probe: ShellProbe): string | undefined {
  // Windows spells it Path; Node's process.env ignores the case, a copied object does not.
  const key = Object.keys(probe.env).find((k) => k.toUpperCase() === 'PATH');
  const path = key ? probe.env[key] : undefined;
  if (!path) return undefined;
  const sep = probe.platform === 'win32' ? ';' : ':';
  for (const dir of path.split(sep)) {
    if (!dir) continue;
    const candidate = probe.platform === 'win32' ? `${dir.replace(/[\\/]+$/, '')}\\${name}` : join(dir, name);
    if (probe.fileStatus(candidate) === 'ok') return candidate;
  }
  return undefined;
}

/**
 * The learner's login shell, whatever it is: $SHELL, else the passwd entry,
 * else bash or sh; on Windows, PowerShell 7 (pwsh) when it is on PATH, else
 * Windows PowerShell. One that is gone or refuses sessions (nologin) is skipped.
 */
export function loginShell(probe: ShellProbe): string {
  if (probe.platform === 'win32') return findOnPath('pwsh.exe', probe) ?? 'powershell.exe';
  for (const candidate of [probe.env.SHELL, probe.passwdShell()]) {
    if (candidate && isAbsolutePath(candidate, probe.platform) && !REFUSING.has(programName(candidate)) && probe.fileStatus(candidate) === 'ok') {
      return candidate;
    }
  }
  return findOnPath('bash', probe) ?? '/bin/sh';
}

/** The shells on this machine worth offering, each program once (under the first name found). */
export function findShells(probe: ShellProbe): string[] {
  const candidates: string[] = [];
  if (probe.platform === 'win32') {
    const root = probe.env.SystemRoot ?? probe.env.SYSTEMROOT;
    for (const name of OFFERED_ON_WINDOWS) {
      const found = findOnPath(name, probe);
      if (found) candidates.push(found);
    }
    if (root) candidates.push(`${root}\\System32\\WindowsPowerShell\\v1.0\\powershell.exe`, `${root}\\System32\\cmd.exe`);
  } else {
    for (const line of probe.listedShells()) {
      const path = line.trim();
      if (path.startsWith('/') && OFFERED.has(programName(path))) candidates.push(path);
    }
    // Shells installed outside the package manager (Homebrew, a PowerShell tarball) may not be listed.
    for (const name of OFFERED) {
      const found = findOnPath(name, probe);
      if (found) candidates.push(found);
    }
  }
  const seen = new Set<string>();
  const shells: string[] = [];
  for (const path of candidates) {
    if (probe.fileStatus(path) !== 'ok') continue;
    const real = probe.realPath(path);
    const key = probe.platform === 'win32' ? real.toLowerCase() : real;
    if (seen.has(key)) continue;
    seen.add(key);
    shells.push(path);
  }
  return shells;
}

/** Why a path cannot be the host shell, or undefined when it can. */
export function shellPathProblem(path: string, probe: ShellProbe): string | undefined {
  if (!isAbsolutePath(path, probe.platform)) return `${path} is not an absolute path.`;
  switch (probe.fileStatus(path)) {
    case 'ok':
      return undefined;
    case 'missing':
      return `There is no ${path}.`;
    case 'not-a-file':
      return `${path} is not a file.`;
    case 'not-executable':
      return `${path} is not executable.`;
  }
}
