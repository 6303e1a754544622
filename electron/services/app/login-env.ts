// The environment the learner's terminal has. An app started from Finder or
// the Dock (or from a Linux desktop's launcher) gets launchd's or the session's
// bare environment: no login shell ran, so PATH lacks /opt/homebrew/bin and
// /usr/local/bin (`docker: command not found` in the host shell) and a
// DOCKER_HOST set in ~/.zprofile is missing (the app looks for the wrong
// engine). So the desktop app asks the login shell once at start (shell-env),
// with a deadline, and falls back to what it has. Every decision here takes
// the platform, the environment and the home folder as parameters.
import { statSync } from 'node:fs';
import path from 'node:path';
import { loginShell, systemProbe } from '../terminals/host-shells';

/** Enough for a slow zsh set-up (oh-my-zsh, nvm); past it the app starts with what it has. */
export const LOGIN_ENV_TIMEOUT_MS = 5000;

/** Names a shell can export; anything else in `env`'s output is a piece of a multi-line value. */
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** The reading shell's own bookkeeping, and the variables shell-env sets to keep oh-my-zsh quiet. */
const NOT_LEARNERS = new Set(['_', 'SHLVL', 'PWD', 'OLDPWD', 'DISABLE_AUTO_UPDATE', 'ZSH_TMUX_AUTOSTARTED', 'ZSH_TMUX_AUTOSTART']);

export type LoginEnvPlan = { read: true; shell: string } | { read: false; reason: string };

/**
 * Whether this start should ask the login shell. A start from a terminal has
 * its environment already; Windows apps get the user's PATH from the registry;
 * on Linux only a start from the desktop (a display, no terminal) lacks it.
 */
export function loginEnvPlan(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): LoginEnvPlan {
  if (platform === 'win32') return { read: false, reason: 'Windows gives apps the user environment' };
  if (env.TERM) return { read: false, reason: 'started from a terminal' };
  if (platform !== 'darwin' && !env.DISPLAY && !env.WAYLAND_DISPLAY) return { read: false, reason: 'not started from a desktop' };
  return { read: true, shell: loginShell(systemProbe(env, platform)) };
}

/**
 * Folders where macOS engines put the docker CLI, for a login PATH that lacks
 * them (an install that linked nothing, a learner's shell set-up that never
 * added them). `root` is where the system's folders are (tests: a fake tree).
 */
export function dockerCliFolders(platform: NodeJS.Platform, home: string, root = '/'): string[] {
  if (platform !== 'darwin') return [];
  const system = (...parts: string[]): string => path.posix.join(root, ...parts);
  return [
    system('opt', 'homebrew', 'bin'),
    system('usr', 'local', 'bin'),
    path.posix.join(home, '.docker', 'bin'),
    path.posix.join(home, '.orbstack', 'bin'),
    path.posix.join(home, '.rd', 'bin'),
    system('Applications', 'Docker.app', 'Contents', 'Resources', 'bin'),
  ];
}

function isFolder(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** PATH entries of `first`, then those of each later one not already in it. */
function joinPaths(...paths: (string | undefined)[]): string {
  const seen = new Set<string>();
  for (const p of paths) for (const dir of (p ?? '').split(':')) if (dir) seen.add(dir);
  return [...seen].join(':');
}

/**
 * The app's environment with the login shell's laid over it: the shell's
 * values win (that is what the learner's terminal sees), the app keeps what
 * the shell does not set, and PATH keeps the app's own folders after the
 * shell's. On macOS, docker CLI folders that exist are added at the end.
 */
export function mergeLoginEnv(
  current: NodeJS.ProcessEnv,
  login: Readonly<Record<string, string>> | undefined,
  platform: NodeJS.Platform,
  home: string,
  root = '/',
): NodeJS.ProcessEnv {
  const merged: NodeJS.ProcessEnv = { ...current };
  for (const [name, value] of Object.entries(login ?? {})) {
    if (NAME.test(name) && !NOT_LEARNERS.has(name)) merged[name] = value;
  }
  const cliFolders = dockerCliFolders(platform, home, root).filter(isFolder);
  const joined = joinPaths(login?.PATH, current.PATH, cliFolders.join(':'));
  if (joined) merged.PATH = joined;
  return merged;
}

export type LoginEnvOutcome =
  | { kind: 'login-shell'; shell: string; ms: number }
  | { kind: 'skipped'; reason: string }
  | { kind: 'failed'; shell: string; reason: string };

/** Reads a shell's environment; shell-env runs `SHELL -ilc 'env'` and parses what it prints. */
export type ReadShellEnv = (shell: string) => Promise<Readonly<Record<string, string>>>;

async function shellEnvReader(): Promise<ReadShellEnv> {
  // Loaded only when a desktop start asks: browser mode and the tests of other modules never load execa.
  const { shellEnv } = await import('shell-env');
  return shellEnv;
}

interface LoginEnvOptions {
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  home: string;
  root?: string;
  timeoutMs?: number;
}

/**
 * The environment for this start: the login shell's when the plan says so and
 * it answers in time, else the app's own (with the docker CLI folders on
 * macOS). Never throws. A shell that does not answer in time is left to end
 * by itself (shell-env offers no way to stop it): it holds nothing the app needs.
 */
export async function loginEnvironment(options: LoginEnvOptions): Promise<{ env: NodeJS.ProcessEnv; outcome: LoginEnvOutcome }> {
  const platform = options.platform ?? process.platform;
  const env = options.env ?? process.env;
  const plan = loginEnvPlan(platform, env);
  const fallback = (): NodeJS.ProcessEnv => mergeLoginEnv(env, undefined, platform, options.home, options.root);
  if (!plan.read) return { env: platform === 'darwin' ? fallback() : env, outcome: { kind: 'skipped', reason: plan.reason } };

  const timeoutMs = options.timeoutMs ?? LOGIN_ENV_TIMEOUT_MS;
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const read = await shellEnvReader();
    const login = await Promise.race([
      read(plan.shell),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    if (!login.PATH) throw new Error('it printed no PATH');
    const ms = Math.round(performance.now() - started);
    return { env: mergeLoginEnv(env, login, platform, options.home, options.root), outcome: { kind: 'login-shell', shell: plan.shell, ms } };
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('\n')[0] ?? err.message : String(err);
    return { env: fallback(), outcome: { kind: 'failed', shell: plan.shell, reason } };
  } finally {
    clearTimeout(timer);
  }
}
