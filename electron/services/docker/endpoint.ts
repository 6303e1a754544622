// Finds the Docker engine the way the docker CLI does, so NetLab talks to the
// same engine as the learner's terminal: DOCKER_HOST first, then the current
// context (DOCKER_CONTEXT or config.json). Where neither says, it looks for
// the sockets local engines make (engine-sockets.ts), then the platform default.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { Agent as HttpsAgent } from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type Dockerode from 'dockerode';
import { isSocket, knownEngineSockets } from './engine-sockets';

type EndpointSource = 'DOCKER_HOST' | 'context' | 'socket' | 'default';

interface ResolvedEndpoint {
  options: Dockerode.DockerOptions;
  /** The endpoint as a URL, for messages (unix:///var/run/docker.sock, tcp://host:2376, ...). */
  description: string;
  source: EndpointSource;
  /** What was looked at, in order, the chosen endpoint last: preflight names it when the engine does not answer. */
  tried: string[];
}

/** docker-modem also honours an http(s) agent, which the typings leave out. */
type ModemOptions = Dockerode.DockerOptions & { agent?: HttpsAgent };

interface TlsSettings {
  /** Verify the server and present a client certificate (DOCKER_TLS_VERIFY). */
  verify: boolean;
  /** Directory with ca.pem, cert.pem, key.pem. */
  certDir?: string;
  /** A context's SkipTLSVerify: encrypt but do not check the server's certificate. */
  skipVerify?: boolean;
}

/**
 * `root` is where the system's folders are (`/`): the tests point it at a
 * fake tree, as they point `home` at a fake home.
 */
export function resolveDockerEndpoint(
  env: NodeJS.ProcessEnv = process.env,
  home: string = os.homedir(),
  platform: NodeJS.Platform = process.platform,
  root = '/',
): ResolvedEndpoint {
  const dockerHost = env.DOCKER_HOST?.trim();
  if (dockerHost) {
    const tls: TlsSettings = {
      // The CLI treats any non-empty DOCKER_TLS_VERIFY as on.
      verify: Boolean(env.DOCKER_TLS_VERIFY),
      certDir: env.DOCKER_CERT_PATH || path.join(home, '.docker'),
    };
    const found = endpointFromHost(dockerHost, tls, env);
    return { ...found, source: 'DOCKER_HOST', tried: [`${found.description} (DOCKER_HOST)`] };
  }

  const tried: string[] = [];
  const configDir = env.DOCKER_CONFIG || path.join(home, '.docker');
  const contextName = env.DOCKER_CONTEXT?.trim() || readCurrentContext(configDir);
  if (contextName && contextName !== 'default') {
    const fromContext = endpointFromContext(configDir, contextName, env);
    if (fromContext) return { ...fromContext, source: 'context', tried: [`${fromContext.description} (docker context "${contextName}")`] };
    tried.push(`docker context "${contextName}" (not found in ${path.join(configDir, 'contexts')})`);
  }

  const fallback = platformDefault(platform, root);
  for (const known of knownEngineSockets(platform, home, env, root)) {
    const found = socketEndpoint(known.path, 'unix');
    tried.push(`${found.description} (${known.engine})`);
    if (isSocket(known.path)) {
      const source = found.description === fallback.description ? 'default' : 'socket';
      return { ...found, source, tried };
    }
  }
  if (!tried.some((t) => t.startsWith(`${fallback.description} (`))) tried.push(`${fallback.description} (default)`);
  return { ...fallback, source: 'default', tried };
}

function readCurrentContext(configDir: string): string | undefined {
  const config = readJson(path.join(configDir, 'config.json'));
  const current = isRecord(config) ? config.currentContext : undefined;
  return typeof current === 'string' && current.trim() ? current.trim() : undefined;
}

/** Contexts are stored under the SHA-256 of their name. */
function endpointFromContext(
  configDir: string,
  name: string,
  env: NodeJS.ProcessEnv,
): Omit<ResolvedEndpoint, 'source' | 'tried'> | undefined {
  const digest = createHash('sha256').update(name).digest('hex');
  const meta = readJson(path.join(configDir, 'contexts', 'meta', digest, 'meta.json'));
  if (!isRecord(meta) || !isRecord(meta.Endpoints)) return undefined;
  const docker = meta.Endpoints.docker;
  if (!isRecord(docker) || typeof docker.Host !== 'string' || !docker.Host) return undefined;
  const tlsDir = path.join(configDir, 'contexts', 'tls', digest, 'docker');
  const tls: TlsSettings = {
    verify: existsSync(path.join(tlsDir, 'ca.pem')),
    certDir: tlsDir,
    skipVerify: docker.SkipTLSVerify === true,
  };
  return endpointFromHost(docker.Host, tls, env);
}

function platformDefault(platform: NodeJS.Platform, root: string): Omit<ResolvedEndpoint, 'source' | 'tried'> {
  if (platform === 'win32') return socketEndpoint('//./pipe/docker_engine', 'npipe');
  return socketEndpoint(path.posix.join(root, 'var', 'run', 'docker.sock'), 'unix');
}

function socketEndpoint(socketPath: string, scheme: 'unix' | 'npipe'): Omit<ResolvedEndpoint, 'source' | 'tried'> {
  // host: undefined keeps docker-modem from mixing in its own reading of DOCKER_HOST.
  return { options: { socketPath, host: undefined }, description: `${scheme}://${socketPath}` };
}

function endpointFromHost(
  rawHost: string,
  tls: TlsSettings,
  env: NodeJS.ProcessEnv,
): Omit<ResolvedEndpoint, 'source' | 'tried'> {
  // The CLI accepts a bare host:port as tcp.
  const host = rawHost.includes('://') ? rawHost : `tcp://${rawHost}`;
  const scheme = host.slice(0, host.indexOf('://')).toLowerCase();

  if (scheme === 'unix') {
    const socketPath = host.slice('unix://'.length) || '/var/run/docker.sock';
    return socketEndpoint(socketPath, 'unix');
  }
  if (scheme === 'npipe') {
    // npipe:////./pipe/docker_engine -> //./pipe/docker_engine
    const pipe = host.slice('npipe://'.length) || '//./pipe/docker_engine';
    return socketEndpoint(pipe.replace(/\\/g, '/'), 'npipe');
  }

  let url: URL;
  try {
    url = new URL(host);
  } catch {
    throw new Error(`Docker host "${rawHost}" is not a valid address (expected e.g. unix:///var/run/docker.sock or tcp://host:2376)`);
  }
  // URL keeps IPv6 hosts in brackets; sockets want them bare.
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');

  if (scheme === 'ssh') {
    const options: ModemOptions = {
      protocol: 'ssh',
      host: hostname,
      port: url.port || '22',
      username: url.username ? decodeURIComponent(url.username) : undefined,
      sshOptions: env.SSH_AUTH_SOCK ? { agent: env.SSH_AUTH_SOCK } : {},
    };
    return { options, description: `ssh://${url.username ? `${url.username}@` : ''}${url.host}` };
  }

  if (scheme === 'tcp' || scheme === 'http' || scheme === 'https') {
    const secure = tls.verify || tls.skipVerify === true || scheme === 'https' || url.port === '2376';
    const port = url.port || (secure ? '2376' : '2375');
    const options: ModemOptions = { host: hostname, port, protocol: secure ? 'https' : 'http' };
    if (secure && tls.certDir) {
      const ca = readOptional(path.join(tls.certDir, 'ca.pem'));
      const cert = readOptional(path.join(tls.certDir, 'cert.pem'));
      const key = readOptional(path.join(tls.certDir, 'key.pem'));
      if (ca) options.ca = ca;
      if (cert) options.cert = cert;
      if (key) options.key = key;
    }
    if (tls.skipVerify) options.agent = new HttpsAgent({ rejectUnauthorized: false });
    return { options, description: `tcp://${url.hostname}:${port}` };
  }

  throw new Error(`Docker host "${rawHost}" uses an unsupported scheme "${scheme}" (use unix, tcp, ssh or npipe)`);
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch {
    // Missing or unreadable config means "use the default", as the CLI does.
    return undefined;
  }
}

function readOptional(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
