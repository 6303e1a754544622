// The e2e suite's electron target (test/support/app-target.ts) starts the app
// as browser mode's tests start `serve`: with a fresh data directory, a host
// shell without the learner's rc files, and optionally another host shell. A packaged app ignores these: a
// learner's environment never moves their data or changes their shell.
export interface TestKnobs {
  /** Electron's userData folder (Chromium's profile, and the default data directory's parent). */
  userData?: string;
  /** The host shell without rc files, as `serve --clean-shell`. */
  cleanShell: boolean;
  /** This run's host shell, an absolute path, as `serve --shell` (until one is chosen in Settings). */
  shell?: string;
}

export function testKnobs(packaged: boolean, env: Record<string, string | undefined>): TestKnobs {
  if (packaged) return { cleanShell: false };
  const { NETLAB_TEST_USER_DATA: userData, NETLAB_TEST_SHELL: shell } = env;
  return { ...(userData ? { userData } : {}), cleanShell: env.NETLAB_TEST_CLEAN_SHELL === '1', ...(shell ? { shell } : {}) };
}
