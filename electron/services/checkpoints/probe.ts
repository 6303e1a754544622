// Runs a probe inside a container: a docker exec without a TTY whose exit code
// and output a checkpoint compares. Probes only read (ping, nslookup, wget to
// stdout); they never change lab state, and they give up after a short timeout.
import { PassThrough } from 'node:stream';
import type Dockerode from 'dockerode';
import type { ProbeResult } from './conditions';

const MAX_OUTPUT = 64 * 1024;

export async function runProbe(docker: Dockerode, container: string, command: string[], timeoutMs: number): Promise<ProbeResult> {
  const exec = await docker.getContainer(container).exec({
    Cmd: command,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
  });
  const stream = await exec.start({ hijack: true, stdin: false });
  let output = '';
  const collect = new PassThrough();
  collect.on('data', (chunk: Buffer) => {
    if (output.length < MAX_OUTPUT) output += chunk.toString('utf8');
  });
  docker.modem.demuxStream(stream, collect, collect);
  const ended = new Promise<boolean>((resolve) => {
    stream.on('end', () => resolve(true));
    stream.on('close', () => resolve(true));
    stream.on('error', () => resolve(true));
  });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = await Promise.race([
    ended.then(() => false),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), timeoutMs);
    }),
  ]);
  clearTimeout(timer);
  if (timedOut) {
    stream.destroy();
    return { exitCode: -1, output, timedOut: true };
  }
  const info = await exec.inspect();
  return { exitCode: info.ExitCode ?? -1, output, timedOut: false };
}
