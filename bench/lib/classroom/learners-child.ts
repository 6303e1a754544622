// Simulated learners for the classroom scenarios: real LearnerClient instances (TLS, the pinned
// certificate, the channel-bound proof, the strict protocol), many per process, away from the
// hub's process. Each sends what a learner's app sends: its lesson's checkpoint states, on a
// realistic rhythm (a change every 20–60 s, now and then a hint or a raised hand) or all at once
// when told to (a burst: the whole room passes one checkpoint within a few seconds). Its sequence
// number rides in `secondsOnStep`; every send is recorded with its time (epochMs).
import { parseJoinCode } from '../../../electron/services/classroom/join-code';
import { LearnerClient } from '../../../electron/services/classroom/learner-client';
import type { CheckpointStatus } from '../../../electron/services/classroom/protocol';
import { epochMs } from '../stats';

export type LearnersCommand =
  | { type: 'start'; host: string; port: number; fullCode: string; names: string[]; lessonId: string; checkpoints: string[]; concurrency: number }
  | { type: 'steady'; minGapMs: number; maxGapMs: number; handChance: number }
  | { type: 'burst'; checkpoint: string; spreadMs: number }
  | { type: 'stop' }
  | { type: 'exit' };

export type LearnersReply = { type: 'joined'; count: number; ms: number } | { type: 'sent'; sent: [string, number, number][] } | { type: 'error'; message: string };

const send = (msg: LearnersReply): void => void process.send!(msg);

interface Sim {
  name: string;
  client: LearnerClient;
  seq: number;
  cps: Map<string, CheckpointStatus>;
  hints: string[];
  hand: boolean;
  timer: NodeJS.Timeout | null;
}

let sims: Sim[] = [];
let lessonId = '';
let recording = false;
let sent: [string, number, number][] = [];
const timers = new Set<NodeJS.Timeout>();

function later(fn: () => void, ms: number): NodeJS.Timeout {
  const t = setTimeout(() => {
    timers.delete(t);
    fn();
  }, ms);
  timers.add(t);
  return t;
}

function push(sim: Sim): void {
  sim.seq++;
  const checkpoints = [...sim.cps].map(([id, status]) => ({ id, status, ...(status === 'failed' ? { reason: `The check for ${id} does not hold yet.`, failedAttempts: 1 } : {}) }));
  sim.client.updateProgress({ lessonId, stepId: 'step-1', checkpoints, hintsRevealed: sim.hints, solutionsUsed: [], secondsOnStep: sim.seq, coachHint: null });
  if (recording) sent.push([sim.name, sim.seq, epochMs()]);
}

/** One realistic change: a pending checkpoint fails, or a failed one passes; sometimes a hint or a hand. */
function change(sim: Sim, handChance: number): void {
  if (Math.random() < handChance) {
    sim.hand = !sim.hand;
    sim.client.setHand(sim.hand);
    return;
  }
  const open = [...sim.cps].filter(([, s]) => s !== 'passed');
  const pick = open[Math.floor(Math.random() * open.length)];
  if (!pick) return;
  sim.cps.set(pick[0], pick[1] === 'pending' ? 'failed' : 'passed');
  if (Math.random() < 0.1 && sim.hints.length < 10) sim.hints = [...sim.hints, `hint-${sim.hints.length + 1}`];
  push(sim);
}

async function start(cmd: Extract<LearnersCommand, { type: 'start' }>): Promise<void> {
  const t0 = performance.now();
  lessonId = cmd.lessonId;
  const { secret, fingerprint } = parseJoinCode(cmd.fullCode);
  if (!fingerprint) throw new Error('the bench needs the full join code');
  const joinOne = (name: string): Promise<Sim> =>
    new Promise((resolve, reject) => {
      const client = new LearnerClient({ host: cmd.host, port: cmd.port, fingerprint, secret, name, sendBurst: 10, sendPerSecond: 2 });
      const sim: Sim = { name, client, seq: 0, cps: new Map(cmd.checkpoints.map((id) => [id, 'pending' as CheckpointStatus])), hints: [], hand: false, timer: null };
      client.once('joined', () => resolve(sim));
      client.once('refused', (why) => reject(new Error(`${name} refused: ${why}`)));
      client.start();
      push(sim);
    });
  for (let i = 0; i < cmd.names.length; i += cmd.concurrency) sims.push(...(await Promise.all(cmd.names.slice(i, i + cmd.concurrency).map(joinOne))));
  send({ type: 'joined', count: sims.length, ms: performance.now() - t0 });
}

process.on('message', (cmd: LearnersCommand) => {
  void (async () => {
    try {
      if (cmd.type === 'start') await start(cmd);
      else if (cmd.type === 'steady') {
        recording = true;
        sent = [];
        const gap = (): number => cmd.minGapMs + Math.random() * (cmd.maxGapMs - cmd.minGapMs);
        for (const sim of sims) {
          const tick = (): void => {
            change(sim, cmd.handChance);
            sim.timer = later(tick, gap());
          };
          // Spread the first changes over a whole gap, so the room does not move in step.
          sim.timer = later(tick, Math.random() * cmd.maxGapMs);
        }
      } else if (cmd.type === 'burst') {
        for (const sim of sims) {
          later(() => {
            if (sim.cps.get(cmd.checkpoint) === 'passed') sim.cps.set(cmd.checkpoint, 'failed');
            sim.cps.set(cmd.checkpoint, 'passed');
            push(sim);
          }, Math.random() * cmd.spreadMs);
        }
      } else if (cmd.type === 'stop') {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        recording = false;
        send({ type: 'sent', sent });
      } else if (cmd.type === 'exit') {
        for (const sim of sims) sim.client.close();
        process.exit(0);
      }
    } catch (err) {
      send({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    }
  })();
});
