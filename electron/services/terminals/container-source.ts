// A shell inside a container: `docker exec` with a TTY, attached through a
// hijacked connection (raw bytes both ways, no multiplexing with a TTY).
import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type Dockerode from 'dockerode';
import { LabError } from '../../api/errors';
import type { SourceHandlers, TerminalSource } from './terminal-source';

interface ContainerLaunch {
  docker: Dockerode;
  container: string;
  cols: number;
  rows: number;
}

interface ContainerSource extends TerminalSource {
  /** The container's name as Docker reports it (the caller may have passed an id). */
  readonly name: string;
}

export async function openContainerSource(launch: ContainerLaunch, handlers: SourceHandlers): Promise<ContainerSource> {
  const { docker, container } = launch;
  const target = docker.getContainer(container);
  let info: Dockerode.ContainerInspectInfo;
  try {
    info = await target.inspect();
  } catch (err) {
    if (statusOf(err) === 404) {
      throw new LabError(`${container} does not exist — create it first (docker run … --name ${container} …)`, 'container-missing');
    }
    throw new LabError(`Could not ask Docker about ${container}: ${messageOf(err)}`, 'engine-error');
  }
  const name = info.Name.replace(/^\//, '') || container;
  if (info.State.Paused) {
    throw new LabError(`${name} is paused — resume it with docker unpause ${name}`, 'container-not-running');
  }
  if (!info.State.Running) {
    throw new LabError(`${name} is not running — start it with docker start ${name}`, 'container-not-running');
  }

  // Docker does not end an exec when its client disconnects; this token in the
  // shell's environment lets kill() find the shell and its children later.
  const token = randomBytes(8).toString('hex');
  let exec: Dockerode.Exec;
  let stream: Duplex;
  try {
    exec = await target.exec({
      Cmd: ['/bin/sh'],
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Tty: true,
      Env: ['TERM=xterm-256color', `NETLAB_TERMINAL=${token}`],
    });
    stream = await exec.start({ hijack: true, stdin: true, Tty: true });
  } catch (err) {
    throw new LabError(`Could not open a shell in ${name}: ${messageOf(err)}`, 'exec-failed');
  }

  let ended = false;
  const finish = (): void => {
    if (ended) return;
    ended = true;
    void exitCodeOf(exec).then((code) => handlers.onExit(code));
  };
  stream.on('data', (chunk: Buffer) => handlers.onData(chunk));
  stream.on('end', finish);
  stream.on('close', finish);
  stream.on('error', finish);

  const resize = (cols: number, rows: number): void => {
    // Docker answers 201, which some dockerode versions report as an error.
    if (!ended) exec.resize({ h: rows, w: cols }).catch(() => undefined);
  };
  resize(launch.cols, launch.rows);

  return {
    name,
    write: (data) => {
      if (!ended) stream.write(data);
    },
    resize,
    pause: () => stream.pause(),
    resume: () => stream.resume(),
    kill: (force) => {
      if (ended) return;
      if (force) {
        stream.destroy();
        return;
      }
      // SIGHUP to the shell and whatever it started, as closing a terminal does.
      const script = `for p in /proc/[0-9]*; do grep -q "NETLAB_TERMINAL=${token}" "$p/environ" 2>/dev/null && kill -HUP "\${p#/proc/}"; done`;
      void runQuiet(target, ['/bin/sh', '-c', script]).finally(() => {
        // If the shell ignored it (or the helper failed), at least let go of the connection.
        setTimeout(() => {
          if (!ended) stream.destroy();
        }, 1_000).unref();
      });
    },
  };
}

/** An exec's exit code; Docker may report Running for a moment after the stream ended. */
async function exitCodeOf(exec: Dockerode.Exec): Promise<number | null> {
  for (let attempt = 0; attempt < 10; attempt++) {
    try {
      const info = await exec.inspect();
      if (!info.Running) return info.ExitCode ?? null;
    } catch {
      return null;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return null;
}

async function runQuiet(target: Dockerode.Container, cmd: string[]): Promise<void> {
  try {
    const exec = await target.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
    const stream = await exec.start({});
    stream.resume();
    await new Promise<void>((resolve) => {
      stream.on('end', resolve);
      stream.on('close', resolve);
      stream.on('error', () => resolve());
    });
  } catch {
    // The container may be gone already; the caller falls back to disconnecting.
  }
}

function statusOf(err: unknown): number | undefined {
  const code = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
