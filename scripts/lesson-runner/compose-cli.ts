// Which Compose the machine has, for lessons that type `docker compose …`.
// Learners have Compose v2, the docker CLI plugin (`docker compose`); some test
// machines (Debian's docker.io) have only the v1 program `docker-compose`. Both
// make the same engine calls through the lab relay, so on such a machine the
// runner types `docker-compose` where the lesson says `docker compose`, and
// says so once in its output. The lesson text and checks stay v2.
import { execFile } from 'node:child_process';

export type ComposeSpelling = 'v2' | 'v1' | 'none';

function succeeds(file: string, args: string[]): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: 20_000 }, (err) => resolve(!err));
  });
}

/** `docker compose` when the v2 plugin answers, else `docker-compose` when v1 does, else none. */
export async function composeSpelling(): Promise<ComposeSpelling> {
  if (await succeeds('docker', ['compose', 'version'])) return 'v2';
  if (await succeeds('docker-compose', ['version'])) return 'v1';
  return 'none';
}

/** `docker compose` as a command word (at the start, or after ; & | ( or a newline). */
const V2_SPELLING = /(^|[;&|(\n]\s*|&&\s*|\|\|\s*)docker\s+compose(?=\s|$)/g;

/** Whether a command uses the v2 spelling. */
export function usesComposeV2(command: string): boolean {
  V2_SPELLING.lastIndex = 0;
  return V2_SPELLING.test(command);
}

/** The same command for Compose v1: `docker compose up -d` → `docker-compose up -d`. */
export function toComposeV1(command: string): string {
  return command.replace(V2_SPELLING, (_m, before: string) => `${before}docker-compose`);
}
