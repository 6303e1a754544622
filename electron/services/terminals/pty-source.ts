// The host shell: a real pty through node-pty.
import { constants } from 'node:os';
import * as pty from 'node-pty';
import type { HostShellSpec } from './shell-integration';
import type { SourceHandlers, TerminalSource } from './terminal-source';

interface PtyLaunch {
  spec: HostShellSpec;
  cwd: string;
  cols: number;
  rows: number;
}

export function spawnPtySource(launch: PtyLaunch, handlers: SourceHandlers): TerminalSource {
  // node-pty decodes with a StringDecoder on its socket (utf8 also sets IUTF8
  // on the pty, so line editing erases whole characters).
  const proc = pty.spawn(launch.spec.file, launch.spec.args, {
    name: 'xterm-256color',
    cols: launch.cols,
    rows: launch.rows,
    cwd: launch.cwd,
    env: launch.spec.env,
  });
  let exited = false;
  proc.onData((data) => handlers.onData(data));
  // node-pty reports exit only after its socket closed, so no output follows.
  proc.onExit(({ exitCode, signal }) => {
    exited = true;
    handlers.onExit(signal ? null : exitCode, signal ? signalName(signal) : undefined);
  });
  return {
    write: (data) => {
      if (!exited) proc.write(data);
    },
    resize: (cols, rows) => {
      if (exited) return;
      try {
        proc.resize(cols, rows);
      } catch {
        // The process exited between our check and the ioctl.
      }
    },
    pause: () => proc.pause(),
    resume: () => proc.resume(),
    kill: (force) => {
      if (exited) return;
      try {
        // SIGHUP, as a terminal window closing would send; SIGKILL if that was ignored.
        if (process.platform === 'win32') proc.kill();
        else proc.kill(force ? 'SIGKILL' : 'SIGHUP');
      } catch {
        // Already gone.
      }
    },
  };
}

function signalName(signal: number): string {
  const found = Object.entries(constants.signals).find(([, n]) => n === signal);
  return found ? found[0] : String(signal);
}
