// "Report a problem": one plain-text file a learner can attach to a bug report,
// with the versions that matter (app, Electron, Node, Docker engine, OS), where
// the data lives, and the last log lines, every credential redacted.
import { mkdir, writeFile } from 'node:fs/promises';
import { arch, release } from 'node:os';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import type { DoctorFinding, DoctorFindings } from '../../api/types';
import { redactSecrets } from '../log/redact';

export const REPORT_LOG_LINES = 200;

interface EngineFacts {
  endpoint: string;
  version?: string;
  apiVersion?: string;
  os?: string;
  arch?: string;
  /** Why the engine could not be asked (it is part of the report, not a failure). */
  error?: string;
}

export interface ReportFacts {
  generatedAt: string;
  app: { version: string; transport: string };
  runtime: { node: string; electron?: string; chrome?: string };
  os: { platform: string; release: string; arch: string };
  engine: EngineFacts;
  /** What the lab doctor found at the last preflight (absent: it has not run, or the engine was down). */
  doctor?: DoctorFindings;
  dataDir: string;
  logDir?: string;
}

/** Versions of the process itself: Electron's only exist inside Electron. */
export function runtimeFacts(versions: NodeJS.ProcessVersions = process.versions): ReportFacts['runtime'] {
  return {
    node: versions.node,
    ...(versions.electron ? { electron: versions.electron } : {}),
    ...(versions.chrome ? { chrome: versions.chrome } : {}),
  };
}

export function osFacts(): ReportFacts['os'] {
  return { platform: process.platform, release: release(), arch: arch() };
}

/** Asks the engine for its version, giving up after `timeoutMs`: a report must work without Docker. */
export async function engineFacts(docker: Dockerode, endpoint: string, timeoutMs = 5000): Promise<EngineFacts> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const v = await Promise.race([
      docker.version(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
      }),
    ]);
    return { endpoint, version: v.Version, apiVersion: v.ApiVersion, os: v.Os, arch: v.Arch };
  } catch (err) {
    return { endpoint, error: `engine not reachable: ${err instanceof Error ? err.message : String(err)}` };
  } finally {
    clearTimeout(timer);
  }
}

/** The report's text. Pure: the same facts and lines give the same file. */
export function formatProblemReport(facts: ReportFacts, logLines: readonly string[], secrets: readonly string[] = []): string {
  const e = facts.engine;
  const engine = e.error
    ? [`Docker engine:  ${e.error}`]
    : [`Docker engine:  ${e.version ?? '?'} (API ${e.apiVersion ?? '?'}, ${e.os ?? '?'}/${e.arch ?? '?'})`];
  const text = [
    'NetLab problem report',
    `Generated:      ${facts.generatedAt}`,
    '',
    `NetLab:         ${facts.app.version} (${facts.app.transport === 'ipc' ? 'desktop app' : 'browser mode'})`,
    `Electron:       ${facts.runtime.electron ?? 'not running in Electron'}`,
    ...(facts.runtime.chrome ? [`Chromium:       ${facts.runtime.chrome}`] : []),
    `Node.js:        ${facts.runtime.node}`,
    `OS:             ${facts.os.platform} ${facts.os.release} (${facts.os.arch})`,
    ...engine,
    `Docker host:    ${e.endpoint}`,
    ...doctorLines(facts.doctor),
    `Data folder:    ${facts.dataDir}`,
    `Log folder:     ${facts.logDir ?? 'no log file open'}`,
    '',
    `--- last ${logLines.length} log lines (oldest first; secrets redacted) ---`,
    ...logLines,
    '',
  ].join('\n');
  // The whole text, not only the log: an endpoint like ssh://user:pw@host is a secret too.
  return redactSecrets(text, secrets);
}

/** The lab doctor's findings, one line each, in the report's plain words (codes kept for whoever reads the bug). */
export function doctorLines(d: DoctorFindings | undefined): string[] {
  if (!d) return ['Lab doctor:     not run (no preflight since start, or the engine was down)'];
  const e = d.engine;
  const finding = (f: DoctorFinding): string => `${f.state} (${f.cause}${f.detail ? `: ${f.detail}` : ''})`;
  const bridge = d.ipv6.defaultBridge === undefined ? '' : `; default bridge IPv6 ${d.ipv6.defaultBridge ? 'on' : 'off'}`;
  return [
    `Engine kind:    ${e.kind}${e.product ? ` (${e.product})` : ''}, ${e.os ?? '?'}, ${e.osType ?? '?'}/${e.arch ?? '?'}, kernel ${e.kernel ?? '?'}`,
    `Host network:   ${finding(d.hostNetwork)}`,
    `  from here:    ${finding(d.hostNetworkFromComputer)}`,
    `IPv6 networks:  ${finding(d.ipv6)}${bridge}`,
    `Firewall:       ${d.firewall.backend} (${d.firewall.cause}${d.firewall.detail ? `: ${d.firewall.detail}` : ''})`,
  ];
}

/** A file name that sorts by time; `n` tells apart two reports in the same millisecond. */
export function reportFileName(now: Date, n = 0): string {
  return `netlab-report-${now.toISOString().replace(/[:.]/g, '-')}${n ? `-${n}` : ''}.txt`;
}

/** Writes the report into <dataDir>/reports/ and returns where, with the text. */
export async function writeProblemReport(dataDir: string, content: string, now = new Date()): Promise<{ file: string; content: string }> {
  const dir = join(dataDir, 'reports');
  await mkdir(dir, { recursive: true });
  for (let n = 0; ; n++) {
    const file = join(dir, reportFileName(now, n));
    try {
      // Owner-only, and never over an earlier report ('wx').
      await writeFile(file, content, { encoding: 'utf8', mode: 0o600, flag: 'wx' });
      return { file, content };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || n >= 99) throw err;
    }
  }
}
