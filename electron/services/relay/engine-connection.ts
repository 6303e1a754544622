// Connections to the engine the app itself uses, opened the way docker-modem
// reaches it (unix socket or named pipe, tcp, tcp+TLS, or ssh:// through
// `docker system dial-stdio`), but raw: the lab relay passes a learner's
// requests and the engine's answers through as bytes, and reads only their
// framing (lab-relay.ts).
import { createRequire } from 'node:module';
import type http from 'node:http';
import net from 'node:net';
import { Duplex, PassThrough } from 'node:stream';
import tls from 'node:tls';
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
}

/** Opens one connection to the engine; writes before it is open wait for it. */
export type EngineConnector = () => Duplex;

type SshAgentFactory = (options: Record<string, unknown>) => http.Agent & {
  createConnection(options: unknown, done: (err: Error | null, stream?: Duplex) => void): void;
};

/** A stream for a connection that opens later: what is written waits, errors and the close carry through. */
function deferred(open: (done: (err: Error | null, stream?: Duplex) => void) => void): Duplex {
  const toEngine = new PassThrough();
  const fromEngine = new PassThrough();
  const duplex = Duplex.from({ readable: fromEngine, writable: toEngine });
  let settled = false;
  open((err, stream) => {
    if (settled) return;
    settled = true;
    if (err || !stream) return void duplex.destroy(err ?? new Error('no connection'));
    toEngine.pipe(stream);
    stream.pipe(fromEngine);
    stream.on('error', (e: Error) => duplex.destroy(e));
    stream.on('close', () => duplex.destroy());
    duplex.on('close', () => stream.destroy());
  });
  return duplex;
}

export function engineConnector(docker: Dockerode): EngineConnector {
  const modem = docker.modem as unknown as ModemFields;
  if (modem.protocol === 'ssh') {
    const sshAgent = requireHere(createRequire(requireHere.resolve('dockerode')).resolve('docker-modem/lib/ssh.js')) as SshAgentFactory;
    // docker-modem's ssh agent carries one connection: a fresh one for each, as docker-modem does.
    return () => deferred((done) => sshAgent({ ...modem.sshOptions, host: modem.host, port: modem.port, username: modem.username, password: modem.password }).createConnection({}, done));
  }
  if (modem.socketPath) {
    const found = modem.socketPath;
    // Resolved once, as docker-modem itself does: its default looks on the disk for
    // ~/.docker/run/docker.sock, a file-system round trip that cost each call ~0.2 ms.
    if (typeof found === 'string') return () => net.connect({ path: found, allowHalfOpen: true });
    let path: Promise<string> | undefined;
    return () =>
      deferred((done) => {
        path ??= Promise.resolve(found());
        path.then(
          (p) => {
            const socket = net.connect({ path: p, allowHalfOpen: true });
            socket.once('connect', () => done(null, socket));
            socket.once('error', (err) => done(err));
          },
          (err: Error) => done(err),
        );
      });
  }
  const host = modem.host ?? 'localhost';
  const port = Number(modem.port ?? (modem.protocol === 'https' ? 2376 : 2375));
  if (modem.protocol === 'https') {
    return () => {
      const socket = tls.connect({ host, port, ca: modem.ca, cert: modem.cert, key: modem.key, ...(net.isIP(host) ? {} : { servername: host }), allowHalfOpen: true } as tls.ConnectionOptions);
      socket.setNoDelay(true);
      return socket;
    };
  }
  return () => net.connect({ host, port, noDelay: true, allowHalfOpen: true });
}
