// Where local Docker engines put their sockets when no DOCKER_HOST or docker
// context says otherwise. An app started from Finder or the Dock has neither
// (no login shell ran), so NetLab looks for the engines learners actually run:
// Docker Desktop, Colima, OrbStack, Rancher Desktop and Podman.
import { statSync } from 'node:fs';
import path from 'node:path';

export interface KnownSocket {
  path: string;
  /** The engine that puts a socket there, for messages. */
  engine: string;
}

/**
 * The sockets worth trying on this platform, most likely first. `root` is
 * where the system's own folders are (`/`; tests point it at a fake tree).
 * On Linux the system engine comes first: a user socket must not steal a
 * learner's lessons from the engine their terminal uses. Windows engines
 * listen on named pipes: the default pipe is the only one looked for.
 */
export function knownEngineSockets(platform: NodeJS.Platform, home: string, env: NodeJS.ProcessEnv, root = '/'): KnownSocket[] {
  const system = path.posix.join(root, 'var', 'run', 'docker.sock');
  if (platform === 'darwin') {
    return [
      { path: path.posix.join(home, '.docker', 'run', 'docker.sock'), engine: 'Docker Desktop' },
      { path: path.posix.join(home, '.colima', 'default', 'docker.sock'), engine: 'Colima' },
      { path: path.posix.join(home, '.colima', 'docker.sock'), engine: 'Colima' },
      { path: path.posix.join(home, '.orbstack', 'run', 'docker.sock'), engine: 'OrbStack' },
      { path: path.posix.join(home, '.rd', 'docker.sock'), engine: 'Rancher Desktop' },
      { path: path.posix.join(home, '.local', 'share', 'containers', 'podman', 'machine', 'podman.sock'), engine: 'Podman' },
      { path: path.posix.join(home, '.local', 'share', 'containers', 'podman', 'machine', 'qemu', 'podman.sock'), engine: 'Podman' },
      // Docker Desktop's (or another engine's) link, made with admin rights.
      { path: system, engine: 'system socket' },
    ];
  }
  if (platform === 'win32') return [];
  const runtime = env.XDG_RUNTIME_DIR?.trim();
  return [
    { path: system, engine: 'Docker Engine' },
    { path: path.posix.join(home, '.docker', 'desktop', 'docker.sock'), engine: 'Docker Desktop' },
    ...(runtime ? [{ path: path.posix.join(runtime, 'docker.sock'), engine: 'rootless Docker' }] : []),
    ...(runtime ? [{ path: path.posix.join(runtime, 'podman', 'podman.sock'), engine: 'Podman' }] : []),
    { path: path.posix.join(root, 'run', 'podman', 'podman.sock'), engine: 'Podman' },
  ];
}

/** A socket is there (a leftover regular file at that path is not an engine). */
export function isSocket(file: string): boolean {
  try {
    return statSync(file).isSocket();
  } catch {
    return false;
  }
}
