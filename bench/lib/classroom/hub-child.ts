// The instructor's side of the classroom scenario, alone in its own process so its CPU and RSS
// are the hub's: a real ClassroomService hosting a real ClassroomHub over TLS on 127.0.0.1,
// whose `classroom.changed` events go through what browser mode does with them (one JSON frame,
// electron/server/broadcaster.ts). Each learner's latest sequence number rides in its
// `secondsOnStep`, so reading when a change reached the dashboard costs one pass over the rows.
// Driven over IPC by bench/scenarios/classroom.ts.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventName, Events, EventSink } from '../../../electron/api/contract';
import { ClassroomService } from '../../../electron/services/classroom/classroom-handlers';
import { epochMs } from '../stats';

export type HubCommand = { type: 'start'; checkpoints: string[]; maxLearners: number } | { type: 'measure-start' } | { type: 'measure-stop' } | { type: 'exit' };

export interface HubReport {
  cpuPercent: number;
  rssMaxMiB: number;
  rssEndMiB: number;
  /** [learner name, sequence, when the dashboard showed it (epochMs)]. */
  seen: [string, number, number][];
  events: number;
  frameBytesMax: number;
  seconds: number;
}

export type HubReply = { type: 'ready'; address: string; fullCode: string } | { type: 'report'; report: HubReport } | { type: 'error'; message: string };

const send = (msg: HubReply): void => void process.send!(msg);

let service: ClassroomService | null = null;
let dataDir = '';
const lastSeq = new Map<string, number>();
let seen: [string, number, number][] = [];
let events = 0;
let frameBytesMax = 0;
let measuring = false;
let cpu0 = process.cpuUsage();
let t0 = performance.now();
let rssMax = 0;
let rssTimer: NodeJS.Timeout | null = null;

const sink: EventSink = {
  emit<E extends EventName>(name: E, payload: Events[E]): void {
    if (name !== 'classroom.changed') return;
    // What browser mode's broadcaster does with every event: one JSON frame for the page.
    const frame = JSON.stringify({ type: 'event', name, payload });
    const at = epochMs();
    events++;
    if (frame.length > frameBytesMax) frameBytesMax = frame.length;
    // Only the rows that changed since the last update ride in it (electron/api/dashboard-update.ts).
    const update = payload as Events['classroom.changed'];
    for (const l of 'full' in update ? update.full.learners : update.delta.rows) {
      if (l.secondsOnStep > (lastSeq.get(l.name) ?? -1)) {
        lastSeq.set(l.name, l.secondsOnStep);
        if (measuring) seen.push([l.name, l.secondsOnStep, at]);
      }
    }
  },
};

async function start(checkpoints: string[], maxLearners: number): Promise<void> {
  dataDir = await mkdtemp(join(tmpdir(), 'netlab-bench-hub-'));
  const lesson = { title: { en: 'Bench lesson', 'zh-CN': 'Bench lesson' }, checkpoints: checkpoints.map((id) => ({ id, title: { en: id, 'zh-CN': id } })) };
  service = new ClassroomService({ dataDir, sink, lessons: (id) => (id === 'bench' ? lesson : undefined), announce: false, interfaces: {}, hubLimits: { maxLearners, maxPending: 64 } });
  const dash = await service.host('127.0.0.1:0');
  service.setLesson('bench', 'en');
  send({ type: 'ready', address: dash.address!, fullCode: dash.fullCode! });
}

function sampleRss(): void {
  rssMax = Math.max(rssMax, process.memoryUsage.rss());
}

process.on('message', (cmd: HubCommand) => {
  void (async () => {
    try {
      if (cmd.type === 'start') await start(cmd.checkpoints, cmd.maxLearners);
      else if (cmd.type === 'measure-start') {
        seen = [];
        events = 0;
        frameBytesMax = 0;
        measuring = true;
        rssMax = 0;
        sampleRss();
        rssTimer = setInterval(sampleRss, 250);
        cpu0 = process.cpuUsage();
        t0 = performance.now();
      } else if (cmd.type === 'measure-stop') {
        const cpu = process.cpuUsage(cpu0);
        const ms = performance.now() - t0;
        measuring = false;
        if (rssTimer) clearInterval(rssTimer);
        sampleRss();
        const mib = 1024 ** 2;
        send({
          type: 'report',
          report: { cpuPercent: ((cpu.user + cpu.system) / 1000 / ms) * 100, rssMaxMiB: rssMax / mib, rssEndMiB: process.memoryUsage.rss() / mib, seen, events, frameBytesMax, seconds: ms / 1000 },
        });
      } else if (cmd.type === 'exit') {
        await service?.dispose();
        if (dataDir) await rm(dataDir, { recursive: true, force: true });
        process.exit(0);
      }
    } catch (err) {
      send({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    }
  })();
});
