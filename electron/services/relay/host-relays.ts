// One lab relay per host shell: the shell's DOCKER_HOST points at it, so every
// docker command the learner types (in any shell, through any alias or script)
// reaches the engine through the relay, which labels what a lab creates and
// records each call. The app's own calls (the tracker, probes, the Docker host
// view, container shells) go to the engine directly and are never recorded.
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type Dockerode from 'dockerode';
import { log } from '../log/logger';
import type { EngineRecord } from './engine-record';
import { engineRequester } from './engine-request';
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

export interface HostRelay {
  /** The shell's environment, pointed at the relay. */
  env(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  close(): Promise<void>;
}

export class HostRelays {
  private labelling: () => boolean = () => false;
  private readonly listeners = new Set<(terminalId: string, record: EngineRecord) => void>();
  private readonly requester;

  constructor(
    private readonly options: { docker: Dockerode; endpoint: string; dataDir: string; platform?: NodeJS.Platform },
  ) {
    this.requester = engineRequester(options.docker);
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

  async start(terminalId: string): Promise<HostRelay> {
    const socketPath = this.socketPathFor(terminalId);
    const relay = await LabRelay.listen({
      socketPath,
      requester: this.requester,
      endpoint: this.options.endpoint,
      label: () => (this.labelling() ? this.label : undefined),
      execResult: async (execId) => {
        const info = await this.options.docker.getExec(execId).inspect();
        return { ...(info.ExitCode !== null && info.ExitCode !== undefined ? { exitCode: info.ExitCode } : {}), containerId: info.ContainerID };
      },
      onRecord: (record) => {
        for (const listener of this.listeners) {
          try {
            listener(terminalId, record);
          } catch (err) {
            log.error('engine record listener failed', { err });
          }
        }
      },
    });
    const url = socketPath.startsWith('\\\\') ? `npipe://${socketPath.replace(/\\/g, '/')}` : `unix://${socketPath}`;
    return {
      env: (base) => {
        const env: NodeJS.ProcessEnv = { ...base, DOCKER_HOST: url };
        for (const name of REDIRECTING) delete env[name];
        return env;
      },
      close: () => relay.close(),
    };
  }

  /** A named pipe on Windows; else a socket in a private folder of the data dir (or of the temp dir, when that path is too long for a socket). */
  private socketPathFor(terminalId: string): string {
    const platform = this.options.platform ?? process.platform;
    const unique = `${process.pid}-${terminalId}-${Math.random().toString(36).slice(2, 8)}`;
    if (platform === 'win32') return `\\\\.\\pipe\\netlab-${unique}`;
    const inDataDir = join(this.options.dataDir, 'relay', `${terminalId}.sock`);
    if (Buffer.byteLength(inDataDir) <= MAX_SOCKET_PATH) return inDataDir;
    return join(mkdtempSync(join(tmpdir(), 'netlab-relay-')), `${terminalId}.sock`);
  }
}
