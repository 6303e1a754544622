// What a start of NetLab takes from the settings file, before any service
// runs: the data directory and the Docker endpoint the learner chose. Both the
// Electron main process and `npm run serve` use this, so they behave alike.
import { isAbsolute, resolve } from 'node:path';
import { resolveDockerEndpoint } from '../docker/endpoint';
import { readSettingsSync, settingsFileIn } from './settings-store';

/** A docker context's name, as `docker context create` accepts it. */
const CONTEXT_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.+-]*$/;

/**
 * The environment a Docker endpoint override means, for the app's client and
 * the learner's shell alike: a socket path or URL becomes DOCKER_HOST, a bare
 * name becomes DOCKER_CONTEXT (and DOCKER_HOST is dropped, as it would win).
 */
export function endpointEnv(env: NodeJS.ProcessEnv, override: string | undefined): NodeJS.ProcessEnv {
  const value = override?.trim();
  if (!value) return env;
  const next = { ...env };
  if (CONTEXT_NAME.test(value)) {
    delete next.DOCKER_HOST;
    next.DOCKER_CONTEXT = value;
  } else {
    next.DOCKER_HOST = value.startsWith('/') ? `unix://${value}` : value;
    delete next.DOCKER_CONTEXT;
  }
  return next;
}

/** Resolves an override the way the app will at its next start; throws a readable error if it cannot work. */
export function describeEndpoint(override: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = override.trim();
  const resolved = resolveDockerEndpoint(endpointEnv(env, value));
  if (CONTEXT_NAME.test(value) && value !== 'default' && resolved.source !== 'context') {
    throw new Error(`There is no docker context named "${value}" (see \`docker context ls\`).`);
  }
  return resolved.description;
}

interface Startup {
  /** Where the settings file lives: the default (or --data-dir) directory. */
  settingsFile: string;
  /** Where progress and the ledger live for this run. */
  dataDir: string;
  /** The environment with the chosen Docker endpoint applied. */
  env: NodeJS.ProcessEnv;
  /** Why a setting was ignored (printed by the caller). */
  warnings: string[];
}

export function readStartup(baseDir: string, env: NodeJS.ProcessEnv = process.env): Startup {
  const settingsFile = settingsFileIn(baseDir);
  const settings = readSettingsSync(settingsFile);
  const warnings: string[] = [];
  let dataDir = baseDir;
  if (settings.dataDir) {
    if (isAbsolute(settings.dataDir)) dataDir = resolve(settings.dataDir);
    else warnings.push(`settings: data directory "${settings.dataDir}" is not an absolute path; using ${baseDir}`);
  }
  let startEnv = env;
  if (settings.dockerEndpoint) {
    try {
      describeEndpoint(settings.dockerEndpoint, env);
      startEnv = endpointEnv(env, settings.dockerEndpoint);
    } catch (err) {
      warnings.push(`settings: Docker endpoint ignored: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return { settingsFile, dataDir, env: startEnv, warnings };
}
