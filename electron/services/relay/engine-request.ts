// Requests to the engine the app itself uses, made the way docker-modem makes
// them (unix socket or named pipe, tcp, tcp+TLS, or ssh:// through
// `docker system dial-stdio`), but raw: the lab relay forwards the learner's
// requests with their own method, path, headers and body, and needs the
// response or the upgraded connection as it comes.
import { createRequire } from 'node:module';
import http from 'node:http';
import https from 'node:https';
import type Dockerode from 'dockerode';

const requireHere = createRequire(import.meta.url);

/** The docker-modem fields that say where the engine is (docker.modem is untyped). */
interface ModemFields {
  socketPath?: string | (() => string | Promise<string>);
  host?: string;
  port?: number | string;
  protocol?: 'http' | 'https' | 'ssh';
  ca?: string | Buffer | (string | Buffer)[];
  cert?: string | Buffer;
  key?: string | Buffer;
  username?: string;
  password?: string;
  sshOptions?: Record<string, unknown>;
  agent?: http.Agent;
}

/** Opens one request to the engine; the caller writes the body and reads the response or the upgrade. */
export type EngineRequester = (options: Pick<http.RequestOptions, 'method' | 'path' | 'headers'>) => Promise<http.ClientRequest>;

type SshAgentFactory = (options: Record<string, unknown>) => http.Agent;

export function engineRequester(docker: Dockerode): EngineRequester {
  const modem = docker.modem as unknown as ModemFields;
  // Resolved once, as docker-modem itself does: its default looks on the disk for
  // ~/.docker/run/docker.sock, a file-system round trip that cost each call ~0.2 ms.
  let socketPath: Promise<string> | undefined;
  return async (options) => {
    const base: http.RequestOptions = { ...options, setHost: true };
    if (modem.protocol === 'ssh') {
      // docker-modem's ssh agent carries one connection: a fresh one per request, as docker-modem does.
      const sshAgent = requireHere(createRequire(requireHere.resolve('dockerode')).resolve('docker-modem/lib/ssh.js')) as SshAgentFactory;
      const agent = sshAgent({ ...modem.sshOptions, host: modem.host, port: modem.port, username: modem.username, password: modem.password });
      return http.request({ ...base, agent, host: 'localhost' });
    }
    if (modem.socketPath) {
      const found = modem.socketPath;
      socketPath ??= Promise.resolve(typeof found === 'function' ? found() : found);
      return http.request({ ...base, socketPath: await socketPath });
    }
    const target = { ...base, host: modem.host, port: modem.port, ...(modem.agent ? { agent: modem.agent } : {}) };
    if (modem.protocol === 'https') return https.request({ ...target, ca: modem.ca, cert: modem.cert, key: modem.key });
    return http.request(target);
  };
}
