// scripts/build-lab-images.sh builds the netshoot stand-in: busybox with
// Debian's ip and iptables (nft and legacy) that run, their libraries found,
// labelled as a local stand-in. Built under this file's prefix (--force), so
// the shared lab images stay as they are; only `itest-labimg-*` tags are
// created and removed.
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerCli } from '../support/docker';

const execFileAsync = promisify(execFile);
const REPO = resolve(__dirname, '..', '..');
const PREFIX = 'itest-labimg-';
const NETSHOOT = `${PREFIX}nicolaka/netshoot:latest`;

async function removeOurTags(): Promise<void> {
  const refs = (await dockerCli('images', '--format', '{{.Repository}}:{{.Tag}}')).split('\n').filter((r) => r.startsWith(PREFIX));
  for (const ref of refs) await dockerCli('rmi', ref).catch(() => undefined);
}

/** A command in a throwaway netshoot container without a network; stdout and stderr together. */
async function inNetshoot(...args: string[]): Promise<string> {
  const { stdout, stderr } = await execFileAsync('docker', ['run', '--rm', '--network', 'none', NETSHOOT, ...args]);
  return stdout + stderr;
}

beforeAll(async () => {
  await removeOurTags();
  await execFileAsync('bash', [join(REPO, 'scripts', 'build-lab-images.sh'), '--force'], { cwd: REPO, env: { ...process.env, LAB_IMAGE_PREFIX: PREFIX } });
}, 120_000);

afterAll(async () => {
  await removeOurTags();
});

describe('the netshoot stand-in', () => {
  it('is labelled as a local stand-in, with a shell as its command', async () => {
    const config = JSON.parse(await dockerCli('image', 'inspect', '--format', '{{json .Config}}', NETSHOOT)) as { Cmd: string[]; Labels: Record<string, string> };
    expect(config.Cmd).toEqual(['sh']);
    expect(config.Labels['dev.netlab.local-build']).toBe('stand-in');
    expect(config.Labels['dev.netlab.note']).toMatch(/stand-in for nicolaka\/netshoot/);
  });

  it("runs Debian's ip and both iptables backends, and finds the xtables modules", async () => {
    expect(await inNetshoot('ip', '-V')).toMatch(/iproute2/);
    expect(await inNetshoot('iptables', '-V')).toMatch(/\(nf_tables\)/);
    expect(await inNetshoot('iptables-legacy', '-V')).toMatch(/\(legacy\)/);
    // Help for a match and a target loads them from the xtables modules folder (no capability needed).
    const help = await inNetshoot('iptables', '-p', 'tcp', '-j', 'DNAT', '-h');
    expect(help).toContain('tcp match options:');
    expect(help).toContain('DNAT target options:');
  });

  it('gives an interactive shell the Debian ip, not the busybox applet', async () => {
    expect(await inNetshoot('sh', '-ic', 'type ip')).toContain('/usr/sbin/ip');
    expect(await inNetshoot('ls', '/bin/ip').catch(() => 'missing')).toBe('missing');
  });
});
