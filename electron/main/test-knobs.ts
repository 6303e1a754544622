// The e2e suite's electron target (test/support/app-target.ts) starts the app
// as browser mode's tests start `serve`: with a fresh data directory and a host
// shell without the learner's rc files. A packaged app ignores these: a
// learner's environment never moves their data or changes their shell.
export interface TestKnobs {
  /** Electron's userData folder (Chromium's profile, and the default data directory's parent). */
  userData?: string;
  /** The host shell without rc files, as `serve --clean-shell`. */
  cleanShell: boolean;
}

export function testKnobs(packaged: boolean, env: Record<string, string | undefined>): TestKnobs {
  if (packaged) return { cleanShell: false };
  const userData = env.NETLAB_TEST_USER_DATA;
  return { ...(userData ? { userData } : {}), cleanShell: env.NETLAB_TEST_CLEAN_SHELL === '1' };
}
