// One lab relay per host shell: the shell's DOCKER_HOST points at it, so every
// docker command the learner types (in any shell, through any alias or script)
// reaches the engine through the relay, which labels what a lab creates and
// records each call. The app's own calls (the tracker, probes, the Docker host
// view, container shells) go to the engine directly and are never recorded.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path, { resolve } from 'node:path';
import type Dockerode from 'dockerode';
import { log } from '../log/logger';
import type { EngineRecord } from './engine-record';
import { engineConnector, type EngineConnector } from './engine-connection';
import { LabRelay } from './lab-relay';

/** The label a lab's objects carry; its value names the app's data folder on this machine (labLabelValue). */
export const LAB_LABEL = 'dev.netlab.lab';

/**
 * This instance's label value: stable across restarts (a reset after a crash finds what the last
 * run created), distinct for another data folder or another machine sharing the engine (one
 * learner's reset never takes another's objects).
 */
export function labLabelValue(dataDir: string, host: string = hostname()): string {
  return createHash('sha256').update(`${host}\0${resolve(dataDir)}`).digest('hex').slice(0, 16);
}

/** Unix socket paths longer than this are refused by some systems (macOS: 104 bytes with the NUL). */
const MAX_SOCKET_PATH = 100;

/** The environment settings that would send the CLI elsewhere, or demand TLS from a local socket: cleared for the shell. */
const REDIRECTING = ['DOCKER_CONTEXT', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH', 'DOCKER_TLS'];

/** Where one shell's relay listens, and the DOCKER_HOST that names it for the docker CLI. */
export interface RelayAddress {
  socketPath: string;
  url: string;
}

/**
 * A named pipe on Windows, named for this process and terminal with a random
 * part (never a user folder: no spaces or non-ASCII to quote, nothing another
 * user can guess and take first), listened on with Node's default pipe access:
 * full control for this user, administrators and SYSTEM, and read-only for
 * others, which cannot send a request (lab-relay.ts never sets readableAll or
 * writableAll).
 * Elsewhere a socket in the data dir's private relay folder (lab-relay.ts
 * makes it 0700, the socket 0600), or in a fresh temp folder when that path
 * is too long for a socket; the length counts bytes, as the kernel does.
 */
export function relayAddress(
  platform: NodeJS.Platform,
  dataDir: string,
  terminalId: string,
  options: { unique?: string; tempFolder?: () => string } = {},
): RelayAddress {
  if (platform === 'win32') {
    const unique = options.unique ?? `${process.pid}-${terminalId}-${randomBytes(6).toString('hex')}`;
    const socketPath = `\\\\.\\pipe\\netlab-${unique}`;
    // \\.\pipe\name -> npipe:////./pipe/name, the form the docker CLI reads.
    return { socketPath, url: `npipe://${socketPath.replace(/\\/g, '/')}` };
  }
  const inDataDir = path.posix.join(dataDir, 'relay', `${terminalId}.sock`);
  const socketPath =
    Buffer.byteLength(inDataDir) <= MAX_SOCKET_PATH
      ? inDataDir
      : path.posix.join((options.tempFolder ?? (() => mkdtempSync(path.posix.join(tmpdir(), 'netlab-relay-'))))(), `${terminalId}.sock`);
  return { socketPath, url: `unix://${socketPath}` };
}

export interface HostRelay {
  /** The shell's environment, pointed at the relay. */
  env(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  close(): Promise<void>;
}

export class HostRelays {
  private labelling: () => boolean = () => false;
  private readonly listeners = new Set<(terminalId: string, record: EngineRecord) => void>();
  private readonly connect: EngineConnector;

  constructor(
    private readonly options: { docker: Dockerode; endpoint: string; dataDir: string; platform?: NodeJS.Platform },
  ) {
    this.connect = engineConnector(options.docker);
  }

  /** While `now()` says so (a lab is open), what a host shell creates carries the lab label. */
  labelCreates(now: () => boolean): void {
    this.labelling = now;
  }

  /** The label this instance's relays put on what a lab creates. */
  get label(): { key: string; value: string } {
    return { key: LAB_LABEL, value: labLabelValue(this.options.dataDir) };
  }

  onRecord(listener: (terminalId: string, record: EngineRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * A relay for one host shell; `quiet` for the lab's own setup, whose calls label what they make
   * but are no one's evidence (never recorded, so no checkpoint or hint sees them).
   */
  async start(terminalId: string, options: { quiet?: boolean } = {}): Promise<HostRelay> {
    const { socketPath, url } = relayAddress(this.options.platform ?? process.platform, this.options.dataDir, terminalId);
    const relay = await LabRelay.listen({
      socketPath,
      connect: this.connect,
      endpoint: this.options.endpoint,
      label: () => (this.labelling() ? this.label : undefined),
      execResult: async (execId) => {
        const info = await this.options.docker.getExec(execId).inspect();
        return { ...(info.ExitCode !== null && info.ExitCode !== undefined ? { exitCode: info.ExitCode } : {}), containerId: info.ContainerID };
      },
      onRecord: (record) => {
        if (options.quiet) return;
        for (const listener of this.listeners) {
          try {
            listener(terminalId, record);
          } catch (err) {
            log.error('engine record listener failed', { err });
          }
        }
      },
    });
    return {
      env: (base) => {
        const env: NodeJS.ProcessEnv = { ...base, DOCKER_HOST: url };
        for (const name of REDIRECTING) delete env[name];
        return env;
      },
      close: () => relay.close(),
    };
  }
}
