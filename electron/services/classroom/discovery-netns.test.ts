// Announce and browse across two network stacks joined by a veth pair, with the production mDNS
// settings (port 5353, the real multicast group): the hub in one namespace, the learner in the
// other, as on a classroom's Wi-Fi. Creating namespaces needs root and iproute2; elsewhere this
// file is skipped (discovery.test.ts covers the same on the loopback interface).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatFullCode, parseJoinCode } from './join-code';

const tag = `e19d${process.pid % 100000}`;
const HUB_NS = `${tag}h`;
const LEARNER_NS = `${tag}l`;
const subnet = `10.219.${process.pid % 250}`;
const HUB_IP = `${subnet}.1`;

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: 'pipe' });
}

/** Network namespaces need Linux and root (CI has both); a missing `ip` then fails the test, never skips it. */
function canMakeNamespaces(): boolean {
  return process.platform === 'linux' && process.getuid?.() === 0;
}

const children: ChildProcess[] = [];
let dir: string;

/** A child in a namespace, with a way to wait for its next stdout line that passes `pred`. */
function inNamespace(ns: string, fixture: string, args: string[]): { child: ChildProcess; line: (pred: (l: string) => boolean) => Promise<string> } {
  const child = spawn('ip', ['netns', 'exec', ns, process.execPath, '--import', 'tsx', resolve(__dirname, 'test-fixtures', fixture), ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  children.push(child);
  const seen: string[] = [];
  const waiters: { pred: (l: string) => boolean; resolve: (l: string) => void }[] = [];
  createInterface({ input: child.stdout! }).on('line', (l) => {
    const i = waiters.findIndex((w) => w.pred(l));
    if (i >= 0) waiters.splice(i, 1)[0]!.resolve(l);
    else seen.push(l);
  });
  return {
    child,
    line: (pred) => {
      const i = seen.findIndex(pred);
      if (i >= 0) return Promise.resolve(seen.splice(i, 1)[0]!);
      return new Promise((r) => waiters.push({ pred, resolve: r }));
    },
  };
}

// Skipped only where namespaces cannot be made (not Linux, or not root): .ci/run is root on Linux,
// so CI always runs it.
describe.skipIf(!canMakeNamespaces())('classes on a network between two namespaces', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'e19discovery-netns-'));
    ip('netns', 'add', HUB_NS);
    ip('netns', 'add', LEARNER_NS);
    ip('link', 'add', `${tag}a`, 'type', 'veth', 'peer', 'name', `${tag}b`);
    ip('link', 'set', `${tag}a`, 'netns', HUB_NS);
    ip('link', 'set', `${tag}b`, 'netns', LEARNER_NS);
    for (const [ns, dev, addr] of [
      [HUB_NS, `${tag}a`, HUB_IP],
      [LEARNER_NS, `${tag}b`, `${subnet}.2`],
    ] as const) {
      ip('-n', ns, 'addr', 'add', `${addr}/24`, 'dev', dev);
      ip('-n', ns, 'link', 'set', dev, 'up');
      ip('-n', ns, 'link', 'set', 'lo', 'up');
      // As on a real machine: a default route, which multicast sent without an interface follows.
      ip('-n', ns, 'route', 'add', 'default', 'dev', dev);
    }
  });

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await Promise.all(children.map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once('exit', r)) : undefined)));
    for (const ns of [HUB_NS, LEARNER_NS]) {
      try {
        ip('netns', 'del', ns); // takes its end of the veth pair, and so the pair, with it
      } catch {
        // not made: beforeAll failed early
      }
    }
    await rm(dir, { recursive: true, force: true });
  });

  it('the learner lists the hub at its address with its fingerprint, joins it with the code (not with another hub\'s), and drops it when the hub stops', async () => {
    const learner = inNamespace(LEARNER_NS, 'netns-browser.ts', []);
    await learner.line((l) => l === 'browsing');
    const hub = inNamespace(HUB_NS, 'netns-hub.ts', [HUB_IP, join(dir, 'hub')]);
    const [, port, fullCode] = (await hub.line((l) => l.startsWith('ready '))).split(' ');

    const found = JSON.parse(await learner.line((l) => l.includes('"event":"found"'))) as { className: string; address: { host: string; port: number }; fingerprint: string };
    expect(found).toEqual({ event: 'found', className: 'Room 4 (netns)', address: { host: HUB_IP, port: Number(port) }, fingerprint: parseJoinCode(fullCode!).fingerprint!.toString('hex') });

    // The list is a hint: a code whose fingerprint is another hub's is refused before connecting.
    const code = parseJoinCode(fullCode!);
    learner.child.stdin!.write(`join ${formatFullCode(code.secret, Buffer.alloc(32, 1))}\n`);
    expect(await learner.line((l) => l.startsWith('refused') || l.startsWith('joined'))).toMatch(/^refused This code is not for "Room 4 \(netns\)"/);
    learner.child.stdin!.write(`join ${fullCode}\n`);
    expect(await learner.line((l) => l.startsWith('refused') || l.startsWith('joined'))).toBe('joined Room 4 (netns)');

    hub.child.kill('SIGTERM');
    const lost = JSON.parse(await learner.line((l) => l.includes('"event":"lost"'))) as { className: string };
    expect(lost.className).toBe('Room 4 (netns)');
  }, 60_000);
});
