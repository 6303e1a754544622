// One Dockerode for the app, pointed where the docker CLI would point.
//
// dockerode is required here, at first use, rather than imported, and two of
// its modules are answered from the require cache with stand-ins, because
// loading it whole is the largest single piece of start-up
// (bench/scenarios/startup.ts):
// - its BuildKit session module pulls in gRPC and a protobuf loader for one
//   feature NetLab never uses, buildImage({ version: '2' }): its stand-in
//   fails clearly;
// - docker-modem's ssh transport loads ssh2 for ssh:// endpoints only: its
//   stand-in loads the real one at the first ssh:// connection.
import { createRequire, Module } from 'node:module';
import type Dockerode from 'dockerode';
import { resolveDockerEndpoint } from './endpoint';

const requireHere = createRequire(import.meta.url);

export const NO_BUILDKIT_SESSIONS = 'NetLab does not build images with BuildKit sessions';

/** Puts `exports` in the require cache as the module at `locate()`, unless it is loaded already. */
function standIn(locate: () => string, exports: (path: string) => unknown): void {
  let path: string;
  try {
    path = locate();
  } catch {
    return; // another layout: it loads whole
  }
  if (requireHere.cache[path]) return;
  const stub = new Module(path);
  stub.filename = path;
  stub.loaded = true;
  stub.exports = exports(path);
  requireHere.cache[path] = stub;
}

function withoutBuildKitSessions(): void {
  standIn(() => requireHere.resolve('dockerode/lib/session.js'), () => function withSession(_docker: unknown, _auth: unknown, handler: (err: Error, id: null, done: () => void) => void): void {
    handler(new Error(NO_BUILDKIT_SESSIONS), null, () => undefined);
  });
}

type SshAgentFactory = (options: unknown) => unknown;

function sshOnFirstUse(): void {
  // docker-modem as dockerode itself resolves it.
  const locate = (): string => createRequire(requireHere.resolve('dockerode')).resolve('docker-modem/lib/ssh.js');
  standIn(locate, (path) => {
    let real: SshAgentFactory | undefined;
    return function sshAgent(options: unknown): unknown {
      if (!real) {
        delete requireHere.cache[path];
        real = requireHere(path) as SshAgentFactory;
      }
      return real(options);
    };
  });
}

let DockerodeClass: typeof Dockerode | undefined;

function loadDockerode(): typeof Dockerode {
  if (!DockerodeClass) {
    withoutBuildKitSessions();
    sshOnFirstUse();
    DockerodeClass = requireHere('dockerode') as typeof Dockerode;
  }
  return DockerodeClass;
}

/** `tried`: where the endpoint search looked, for preflight's advice. */
export function createDocker(env: NodeJS.ProcessEnv = process.env): { docker: Dockerode; endpoint: string; tried: string[] } {
  const { options, description, tried } = resolveDockerEndpoint(env);
  const Client = loadDockerode();
  return { docker: new Client(options), endpoint: description, tried };
}
