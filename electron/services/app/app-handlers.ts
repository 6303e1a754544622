// The contract's app methods: what the app is, and "Report a problem".
import type Dockerode from 'dockerode';
import type { Handlers, MethodInput } from '../../api/contract';
import type { AppInfo, ProblemReportResult } from '../../api/types';
import { currentLogDir, flushAppLog, knownSecrets, log, readLastLines } from '../log/logger';
import { engineFacts, formatProblemReport, osFacts, REPORT_LOG_LINES, runtimeFacts, writeProblemReport } from './problem-report';

type AppMethod = 'app.info' | 'app.reportProblem';

interface AppDeps {
  appVersion: string;
  transport: 'ipc' | 'websocket';
  docker: Dockerode;
  endpoint: string;
  dataDir: string;
}

export function createAppHandlers({ appVersion, transport, docker, endpoint, dataDir }: AppDeps) {
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
    const content = formatProblemReport(
      {
        generatedAt: new Date().toISOString(),
        app: { version: appVersion, transport },
        runtime: runtimeFacts(),
        os: osFacts(),
        engine: await engineFacts(docker, endpoint),
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

  return {
    'app.info': appInfo,
    'app.reportProblem': reportProblem,
  } satisfies Pick<Handlers, AppMethod>;
}
