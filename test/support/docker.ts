// Small helpers for integration tests against the real engine. Every test
// names its resources with its own prefix and cleans up only those.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Runs the docker CLI and returns its trimmed stdout; rejects with stderr on failure. */
export async function dockerCli(...args: string[]): Promise<string> {
  try {
    const { stdout } = await execFileAsync('docker', args, { maxBuffer: 16 * 1024 * 1024 });
    return stdout.trim();
  } catch (err) {
    const e = err as Error & { stderr?: string };
    throw new Error(`docker ${args.join(' ')} failed: ${e.stderr?.trim() || e.message}`);
  }
}

/** Names of all containers (running or not) whose name starts with prefix. */
export async function containerNames(prefix: string): Promise<string[]> {
  const out = await dockerCli('ps', '-a', '--filter', `name=${prefix}`, '--format', '{{.Names}}');
  return out.split('\n').filter((n) => n.startsWith(prefix)).sort();
}

/** Names of all networks whose name starts with prefix. */
export async function networkNames(prefix: string): Promise<string[]> {
  const out = await dockerCli('network', 'ls', '--filter', `name=${prefix}`, '--format', '{{.Name}}');
  return out.split('\n').filter((n) => n.startsWith(prefix)).sort();
}

/** Removes this prefix's containers (forced) and then its networks. Never touches other names. */
export async function removeByPrefix(prefix: string): Promise<void> {
  if (prefix.length < 4) throw new Error(`refusing to clean up with a prefix as broad as "${prefix}"`);
  const containers = await containerNames(prefix);
  if (containers.length > 0) await dockerCli('rm', '-f', ...containers).catch(() => undefined);
  const networks = await networkNames(prefix);
  for (const network of networks) {
    // A container of another prefix may still be attached: detach it, keep it.
    const attached = await dockerCli('network', 'inspect', network, '--format', '{{range $id, $c := .Containers}}{{$id}} {{end}}').catch(() => '');
    for (const id of attached.split(' ').filter(Boolean)) {
      await dockerCli('network', 'disconnect', '-f', network, id).catch(() => undefined);
    }
    await dockerCli('network', 'rm', network).catch(() => undefined);
  }
}

/** Polls until check() returns a truthy value; fails with the description after timeoutMs. */
export async function waitFor<T>(check: () => T | Promise<T>, description: string, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}${lastError ? `: ${String(lastError)}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
