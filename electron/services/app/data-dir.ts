import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where Electron keeps userData for "NetLab", so browser mode and the app share progress. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'NetLab');
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'NetLab');
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'NetLab');
}
