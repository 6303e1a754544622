// One Dockerode for the app, pointed where the docker CLI would point.
import Dockerode from 'dockerode';
import { resolveDockerEndpoint } from './endpoint';

export function createDocker(env: NodeJS.ProcessEnv = process.env): { docker: Dockerode; endpoint: string } {
  const { options, description } = resolveDockerEndpoint(env);
  return { docker: new Dockerode(options), endpoint: description };
}
