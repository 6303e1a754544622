// "Report a problem" through the real services: the file lands in the data
// dir with the real engine's version, the lab's log lines, and no secret.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSecret, closeAppLog, log } from '../../electron/services/log/logger';
import { startTestServices, type TestServices } from '../support/services';
import { dockerCli } from '../support/docker';

let t: TestServices;

beforeAll(async () => {
  t = await startTestServices('netlab-report-');
});

afterAll(async () => {
  await t?.services.dispose();
  await closeAppLog();
});

describe('app.reportProblem', () => {
  it('writes versions, the engine version, the data dir and the last log lines, with secrets redacted', async () => {
    const token = 'Pq8sT2vW4xY6zA1bC3dE5fG7hJ9kL0mN';
    addSecret(token);
    log.info(`a page opened http://127.0.0.1:5183/?token=${token}`);
    await t.api['lab.open']({ lessonId: 'checkpoint-kinds' });
    await t.api['lab.close']({});

    const { file, content } = await t.api['app.reportProblem']({});
    expect(file.startsWith(join(t.dataDir, 'reports'))).toBe(true);
    expect(await readFile(file, 'utf8')).toBe(content);
    expect((await stat(file)).mode & 0o777).toBe(0o600);

    const [engineVersion, apiVersion] = (await dockerCli('version', '--format', '{{.Server.Version}} {{.Server.APIVersion}}')).trim().split(' ');
    expect(content).toContain(`Docker engine:  ${engineVersion} (API ${apiVersion}`);
    expect(content).toContain(`Node.js:        ${process.versions.node}`);
    expect(content).toContain('Electron:       not running in Electron');
    expect(content).toContain(`Data folder:    ${t.dataDir}`);
    expect(content).toContain(`Log folder:     ${join(t.dataDir, 'logs')}`);

    // The lab's lifecycle is in the log part, in order.
    const opened = content.indexOf('"msg":"lab.open done"');
    const closed = content.indexOf('"msg":"lab.close done"');
    expect(opened).toBeGreaterThan(0);
    expect(closed).toBeGreaterThan(opened);
    expect(content).toContain('"msg":"docker engine connected"');
    expect(content).toContain('"msg":"problem report requested"');

    expect(content).not.toContain(token);
    expect(content).toContain('token=[redacted]');
  });

  it('carries the lab doctor\'s findings once the preflight screen examined the engine, and says so before', async () => {
    const before = await t.api['app.reportProblem']({});
    expect(before.content).toContain('Lab doctor:     not run');
    const findings = await t.api['preflight.doctor']({});
    expect(findings?.engine.kind).toBe('linux');
    const after = await t.api['app.reportProblem']({});
    expect(after.content).not.toContain('Lab doctor:     not run');
    expect(after.content).toContain('Engine kind:    linux');
    expect(after.content).toContain('Host network:   yes (bridge-seen: docker0)');
    expect(after.content).toMatch(/IPv6 networks: {2}yes \(ok\)/);
  });

  it('writes a new file each time', async () => {
    const first = await t.api['app.reportProblem']({});
    const second = await t.api['app.reportProblem']({});
    expect(second.file).not.toBe(first.file);
    // The second report's log includes the first report being written.
    expect(second.content).toContain(`"file":"${first.file}"`);
  });
});
