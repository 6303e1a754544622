// A terminal's one name across the app: lessons, tabs, the output a checkpoint
// reads and the contract's TerminalInfo all use the key of what it shows
// ('host', 'docker-host' or 'container:NAME'); a session id names one running
// session of it. Dependency-free: both sides import it.
import { DOCKER_HOST_TERMINAL, HOST_TERMINAL, type TerminalKind } from './types';

/** 'host' → the host shell, 'docker-host' → the Docker host view, any other name → that container. */
export function terminalKind(name: string): TerminalKind {
  if (name === HOST_TERMINAL) return 'host';
  if (name === DOCKER_HOST_TERMINAL) return 'docker-host';
  return 'container';
}

/** The key of the terminal a lesson names: a container's is prefixed, so one named "host" is not the host shell. */
export function terminalKey(name: string, kind: TerminalKind = terminalKind(name)): string {
  return kind === 'container' ? `container:${name}` : kind;
}
