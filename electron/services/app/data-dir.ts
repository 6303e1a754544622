import { homedir } from 'node:os';
import path from 'node:path';

/**
 * Where Electron keeps userData for "NetLab", so browser mode and the app share progress.
 * Joined in the platform's own path style (C:\Users\张三\AppData\Roaming\NetLab on Windows).
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  const { join } = platform === 'win32' ? path.win32 : path.posix;
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'NetLab');
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'NetLab');
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'NetLab');
}
