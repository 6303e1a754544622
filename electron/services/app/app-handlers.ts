// The contract's app methods: what the app is, and "Report a problem".
import type Dockerode from 'dockerode';
import type { Handlers, MethodInput } from '../../api/contract';
import type { AppInfo, DoctorFindings, ProblemReportResult } from '../../api/types';
import { currentLogDir, flushAppLog, knownSecrets, log, readLastLines } from '../log/logger';
import { engineFacts, formatProblemReport, osFacts, REPORT_LOG_LINES, runtimeFacts, writeProblemReport } from './problem-report';

type AppMethod = 'app.info' | 'app.reportProblem';

interface AppDeps {
  appVersion: string;
  transport: 'ipc' | 'websocket';
  docker: Dockerode;
  endpoint: string;
  dataDir: string;
  /** The lab doctor's findings at hand, if any (a report never starts the doctor's probes). */
  doctor?: () => Promise<DoctorFindings | undefined> | undefined;
}

/** A report must come out without the engine: findings still being probed are waited for this long at most. */
const DOCTOR_WAIT_MS = 5000;

export function createAppHandlers({ appVersion, transport, docker, endpoint, dataDir, doctor }: AppDeps) {
  async function appInfo(_input: MethodInput<'app.info'>): Promise<AppInfo> {
    return {
      name: 'NetLab',
      version: appVersion,
      transport,
      platform: process.platform,
      systemLocale: Intl.DateTimeFormat().resolvedOptions().locale,
    };
  }

  /** Versions, where the data lives and the last log lines, redacted, in <dataDir>/reports/. */
  async function reportProblem(_input: MethodInput<'app.reportProblem'>): Promise<ProblemReportResult> {
    log.info('problem report requested');
    await flushAppLog();
    const dir = currentLogDir();
    const findings = await doctorFindings();
    const content = formatProblemReport(
      {
        generatedAt: new Date().toISOString(),
        app: { version: appVersion, transport },
        runtime: runtimeFacts(),
        os: osFacts(),
        engine: await engineFacts(docker, endpoint),
        ...(findings ? { doctor: findings } : {}),
        dataDir,
        ...(dir ? { logDir: dir } : {}),
      },
      dir ? await readLastLines(dir, REPORT_LOG_LINES) : [],
      knownSecrets(),
    );
    const written = await writeProblemReport(dataDir, content);
    log.info('problem report written', { file: written.file });
    return written;
  }

  async function doctorFindings(): Promise<DoctorFindings | undefined> {
    const pending = doctor?.();
    if (!pending) return undefined;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), DOCTOR_WAIT_MS);
    });
    try {
      return await Promise.race([pending.catch(() => undefined), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    'app.info': appInfo,
    'app.reportProblem': reportProblem,
  } satisfies Pick<Handlers, AppMethod>;
}
