// The classroom scenarios' child processes (hub-child.ts, learners-child.ts), run through tsx and
// driven over IPC: a command, then the reply of the type awaited.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { HubCommand, HubReply } from './hub-child';
import type { LearnersCommand, LearnersReply } from './learners-child';

class Child<Cmd, Reply extends { type: string }> {
  private readonly proc: ChildProcess;
  private readonly waiting: { type: string; resolve: (r: Reply) => void; reject: (e: Error) => void }[] = [];
  private stderr = '';

  constructor(file: string, private readonly label: string) {
    this.proc = fork(join(__dirname, file), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
    this.proc.stderr?.on('data', (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-4000)));
    this.proc.on('message', (msg: Reply) => {
      if (msg.type === 'error') return this.failAll(new Error(`${label}: ${(msg as unknown as { message: string }).message}`));
      const i = this.waiting.findIndex((w) => w.type === msg.type);
      if (i >= 0) this.waiting.splice(i, 1)[0]!.resolve(msg);
    });
    this.proc.on('exit', (code) => this.failAll(new Error(`${label} exited (${code}): ${this.stderr.trim()}`)));
  }

  get pid(): number {
    return this.proc.pid!;
  }

  tell(cmd: Cmd): void {
    this.proc.send(cmd as object);
  }

  ask<T extends Reply['type']>(cmd: Cmd, reply: T, timeoutMs = 120_000): Promise<Extract<Reply, { type: T }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.label}: no ${reply} within ${timeoutMs} ms`)), timeoutMs);
      this.waiting.push({
        type: reply,
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r as Extract<Reply, { type: T }>);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.tell(cmd);
    });
  }

  async exit(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => this.proc.once('exit', () => resolve()));
    this.tell({ type: 'exit' } as Cmd);
    const killer = setTimeout(() => this.proc.kill('SIGKILL'), 5_000);
    await gone;
    clearTimeout(killer);
  }

  private failAll(err: Error): void {
    for (const w of this.waiting.splice(0)) w.reject(err);
  }
}

export type HubChild = Child<HubCommand, HubReply>;
export type LearnersChild = Child<LearnersCommand, LearnersReply>;

export function startHubChild(): HubChild {
  return new Child<HubCommand, HubReply>('hub-child.ts', 'hub process');
}

export function startLearnersChild(index: number): LearnersChild {
  return new Child<LearnersCommand, LearnersReply>('learners-child.ts', `learners process ${index}`);
}

/**
 * Per change sent: how long until the dashboard showed it or a newer state of the same learner
 * (the hub coalesces; a state overtaken before an event went out counts until the newer one showed).
 * Changes never shown are counted as lost.
 */
export function changeLatencies(sent: readonly [string, number, number][], seen: readonly [string, number, number][]): { ms: number[]; lost: number } {
  const byName = new Map<string, [number, number][]>();
  for (const [name, seq, at] of seen) {
    let list = byName.get(name);
    if (!list) byName.set(name, (list = []));
    list.push([seq, at]);
  }
  const ms: number[] = [];
  let lost = 0;
  for (const [name, seq, at] of sent) {
    const shown = byName.get(name)?.find(([s]) => s >= seq);
    if (shown) ms.push(Math.max(0, shown[1] - at));
    else lost++;
  }
  return { ms, lost };
}
