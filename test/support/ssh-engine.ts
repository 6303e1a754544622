// This machine's Docker engine behind ssh://, the way an instructor's remote lab
// machine is reached: a private sshd on 127.0.0.1 (key only, no password), and an
// ssh-agent holding the key, which is how NetLab authenticates (SSH_AUTH_SOCK).
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from './docker';
import { freePort } from './free-port';

const SSHD = '/usr/sbin/sshd';

export interface SshEngine {
  /** ssh://root@127.0.0.1:PORT */
  dockerHost: string;
  /** The ssh-agent's socket, holding the only key sshd accepts. */
  agentSocket: string;
  stop(): Promise<void>;
}

function stopped(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((ok) => {
    child.once('exit', () => ok());
    child.kill();
  });
}

export async function startSshEngine(): Promise<SshEngine> {
  if (!existsSync(SSHD)) throw new Error(`${SSHD} is missing: install Debian's openssh-server to run the ssh:// engine test`);
  const dir = mkdtempSync(join(tmpdir(), 'netlab-sshd-'));
  for (const key of ['host', 'client']) execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, key)]);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'client.pub')));
  const port = await freePort();
  writeFileSync(
    join(dir, 'sshd_config'),
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${join(dir, 'host')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      'StrictModes no',
      'UsePAM no',
      `PidFile ${join(dir, 'sshd.pid')}`,
      '',
    ].join('\n'),
  );
  // sshd's privilege separation directory; the package's service would create it.
  mkdirSync('/run/sshd', { recursive: true });
  let log = '';
  const sshd = spawn(SSHD, ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'pipe', 'pipe'] });
  sshd.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  sshd.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  const agentSocket = join(dir, 'agent.sock');
  const agent = spawn('ssh-agent', ['-D', '-a', agentSocket], { stdio: 'ignore' });
  try {
    await waitFor(() => log.includes('Server listening'), `sshd on port ${port}`, 10_000);
    await waitFor(() => existsSync(agentSocket), 'the ssh-agent socket', 10_000);
    execFileSync('ssh-add', ['-q', join(dir, 'client')], { env: { ...process.env, SSH_AUTH_SOCK: agentSocket }, stdio: 'pipe' });
  } catch (err) {
    await Promise.all([stopped(sshd), stopped(agent)]);
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${(err as Error).message} (sshd log: ${log.trim() || 'empty'})`);
  }
  return {
    dockerHost: `ssh://root@127.0.0.1:${port}`,
    agentSocket,
    async stop() {
      await Promise.all([stopped(sshd), stopped(agent)]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
