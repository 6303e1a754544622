// Runs a lesson's `setup:` in its lab: each command through a quiet lab relay
// (so what it creates carries the lab label and lands in the ledger, and no
// checkpoint takes it as the learner's doing), with the docker CLI and no
// shell (lessons/setup-command.ts). The first failure stops it; nothing is
// removed, the learner's objects least of all.
import { execFile } from 'node:child_process';
import { HOST_TERMINAL, type SolutionCommand } from '../../api/types';
import { setupArgs } from '../lessons/setup-command';
import type { HostRelays } from '../relay/host-relays';

/** One setup command may pull nothing (preflight has the images) but may start a slow container. */
const COMMAND_TIMEOUT_MS = 60_000;
const MAX_MESSAGE = 2000;

/** The docker CLI's arguments for one setup entry: a host command, or a shell command in a container. */
export function setupInvocation(entry: SolutionCommand): string[] {
  if (entry.terminal !== HOST_TERMINAL) return ['exec', entry.terminal, 'sh', '-c', entry.command];
  const parsed = setupArgs(entry.command);
  if ('problem' in parsed) throw new Error(parsed.problem);
  return parsed.args;
}

function runDocker(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('docker', args, { env, timeout: COMMAND_TIMEOUT_MS, windowsHide: true, maxBuffer: 1 << 20 }, (err, _stdout, stderr) => {
      if (!err) return resolve();
      const said = String(stderr).trim() || err.message;
      const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'the docker command was not found on PATH' : said;
      reject(new Error(why.slice(0, MAX_MESSAGE)));
    });
  });
}

/** Runs the commands in order; resolves with the first failure, or undefined when all ran. */
export async function runSetup(
  commands: readonly SolutionCommand[],
  relays: HostRelays,
  env: NodeJS.ProcessEnv,
): Promise<{ command: string; message: string } | undefined> {
  const relay = await relays.start(`setup-${process.pid}-${Date.now().toString(36)}`, { quiet: true });
  try {
    const shellEnv = relay.env(env);
    for (const entry of commands) {
      try {
        await runDocker(setupInvocation(entry), shellEnv);
      } catch (err) {
        const command = entry.terminal === HOST_TERMINAL ? entry.command : `${entry.terminal}: ${entry.command}`;
        return { command, message: (err as Error).message };
      }
    }
    return undefined;
  } finally {
    await relay.close();
  }
}
