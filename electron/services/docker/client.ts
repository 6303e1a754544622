// One Dockerode for the app, pointed where the docker CLI would point.
//
// dockerode is required here, at first use, rather than imported: when it
// loads it pulls in gRPC and a protobuf loader (~70 ms of its ~110 ms, the
// largest single piece of start-up) for one feature NetLab never uses,
// BuildKit sessions in buildImage({ version: '2' }). Its session module is
// answered from the require cache with a stand-in that fails clearly.
import { createRequire, Module } from 'node:module';
import type Dockerode from 'dockerode';
import { resolveDockerEndpoint } from './endpoint';

const requireHere = createRequire(import.meta.url);

export const NO_BUILDKIT_SESSIONS = 'NetLab does not build images with BuildKit sessions';

function withoutBuildKitSessions(): void {
  let path: string;
  try {
    path = requireHere.resolve('dockerode/lib/session.js');
  } catch {
    return; // another dockerode layout: it loads whole
  }
  if (requireHere.cache[path]) return;
  const stub = new Module(path);
  stub.filename = path;
  stub.loaded = true;
  stub.exports = function withSession(_docker: unknown, _auth: unknown, handler: (err: Error, id: null, done: () => void) => void): void {
    handler(new Error(NO_BUILDKIT_SESSIONS), null, () => undefined);
  };
  requireHere.cache[path] = stub;
}

let DockerodeClass: typeof Dockerode | undefined;

function loadDockerode(): typeof Dockerode {
  if (!DockerodeClass) {
    withoutBuildKitSessions();
    DockerodeClass = requireHere('dockerode') as typeof Dockerode;
  }
  return DockerodeClass;
}

export function createDocker(env: NodeJS.ProcessEnv = process.env): { docker: Dockerode; endpoint: string } {
  const { options, description } = resolveDockerEndpoint(env);
  const Client = loadDockerode();
  return { docker: new Client(options), endpoint: description };
}
