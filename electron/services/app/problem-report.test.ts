import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DoctorFindings } from '../../api/types';
import { doctorLines, formatProblemReport, reportFileName, runtimeFacts, writeProblemReport, type ReportFacts } from './problem-report';

const facts: ReportFacts = {
  generatedAt: '2026-11-25T20:00:00.000Z',
  app: { version: '0.1.0', transport: 'websocket' },
  runtime: { node: '20.19.0' },
  os: { platform: 'linux', release: '6.1.0', arch: 'x64' },
  engine: { endpoint: 'ssh://learner:pa55word@lab-host', version: '28.1.1', apiVersion: '1.51', os: 'linux', arch: 'amd64' },
  dataDir: '/home/learner/.config/NetLab',
  logDir: '/home/learner/.config/NetLab/logs',
};

describe('formatProblemReport', () => {
  it('lists the versions, the folders and the log lines', () => {
    const text = formatProblemReport(facts, ['{"msg":"first"}', '{"msg":"second"}']);
    expect(text).toContain('NetLab:         0.1.0 (browser mode)');
    expect(text).toContain('Electron:       not running in Electron');
    expect(text).toContain('Node.js:        20.19.0');
    expect(text).toContain('OS:             linux 6.1.0 (x64)');
    expect(text).toContain('Docker engine:  28.1.1 (API 1.51, linux/amd64)');
    expect(text).toContain('Data folder:    /home/learner/.config/NetLab');
    expect(text).toContain('--- last 2 log lines');
    expect(text.indexOf('"first"')).toBeLessThan(text.indexOf('"second"'));
  });

  it('redacts the known token, token-shaped strings, and credentials anywhere in the report', () => {
    const token = 'Zk3p9QvX2mN8rT4wY6bC1dF5gH7jK0lA';
    const lines = [
      `{"msg":"serving at http://127.0.0.1:5183/?token=${token}"}`,
      `{"msg":"cookie netlab_token=abcdef"}`,
      `{"msg":"stray q7Rk2VtXb9NwLm4PzY8aDc1FhJ3sGe6U in output"}`,
      '{"msg":"known secret plain: my-registry-pass"}',
    ];
    const text = formatProblemReport(facts, lines, [token, 'my-registry-pass']);
    for (const secret of [token, 'abcdef', 'q7Rk2VtXb9NwLm4PzY8aDc1FhJ3sGe6U', 'my-registry-pass', 'pa55word']) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('Docker host:    ssh://learner:[redacted]@lab-host');
    expect(text.match(/\[redacted\]/g)?.length).toBeGreaterThanOrEqual(5);
  });

  it('says why the engine is missing instead of failing', () => {
    const text = formatProblemReport({ ...facts, engine: { endpoint: 'unix:///var/run/docker.sock', error: 'engine not reachable: connect ENOENT' } }, []);
    expect(text).toContain('Docker engine:  engine not reachable: connect ENOENT');
    expect(text).toContain('--- last 0 log lines');
  });
});

describe('the lab doctor in the report', () => {
  const doctor: DoctorFindings = {
    engine: { kind: 'docker-desktop', os: 'Docker Desktop', osType: 'linux', arch: 'arm64', kernel: '6.10.0-linuxkit', version: '27.1.1', product: 'Docker Desktop 4.33.0 (160616)' },
    hostNetwork: { state: 'yes', cause: 'bridge-seen', detail: 'docker0' },
    hostNetworkFromComputer: { state: 'no', cause: 'desktop-too-old', detail: 'Docker Desktop 4.33.0 (160616)' },
    ipv6: { state: 'no', cause: 'refused', detail: 'could not find an available IPv6 pool', defaultBridge: false },
    firewall: { backend: 'iptables', cause: 'docker-default' },
  };

  it('lists each finding with its cause, after the engine', () => {
    const text = formatProblemReport({ ...facts, doctor }, []);
    expect(text).toContain('Engine kind:    docker-desktop (Docker Desktop 4.33.0 (160616)), Docker Desktop, linux/arm64, kernel 6.10.0-linuxkit');
    expect(text).toContain('Host network:   yes (bridge-seen: docker0)');
    expect(text).toContain('  from here:    no (desktop-too-old: Docker Desktop 4.33.0 (160616))');
    expect(text).toContain('IPv6 networks:  no (refused: could not find an available IPv6 pool); default bridge IPv6 off');
    expect(text).toContain('Firewall:       iptables (docker-default)');
    expect(text.indexOf('Docker host:')).toBeLessThan(text.indexOf('Engine kind:'));
  });

  it('says when the doctor has not run', () => {
    expect(doctorLines(undefined)).toEqual(['Lab doctor:     not run (no preflight since start, or the engine was down)']);
    expect(formatProblemReport(facts, [])).toContain('Lab doctor:     not run');
  });
});

describe('runtimeFacts', () => {
  it('reports Electron and Chromium only when the process has them', () => {
    expect(runtimeFacts({ node: '22.1.0' } as NodeJS.ProcessVersions)).toEqual({ node: '22.1.0' });
    expect(runtimeFacts({ node: '22.1.0', electron: '45.5.0', chrome: '142.0' } as NodeJS.ProcessVersions)).toEqual({
      node: '22.1.0',
      electron: '45.5.0',
      chrome: '142.0',
    });
  });
});

describe('writeProblemReport', () => {
  it('writes an owner-only file under <dataDir>/reports with a time-sorted name', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'netlab-report-'));
    const now = new Date('2026-11-25T20:01:02.345Z');
    const { file, content } = await writeProblemReport(dataDir, 'hello', now);
    expect(file).toBe(join(dataDir, 'reports', 'netlab-report-2026-11-25T20-01-02-345Z.txt'));
    expect(reportFileName(now)).not.toMatch(/[:]/);
    expect(await readFile(file, 'utf8')).toBe(content);
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o600);
    // Same millisecond: a second file, the first one kept.
    const again = await writeProblemReport(dataDir, 'again', now);
    expect(again.file).toBe(join(dataDir, 'reports', 'netlab-report-2026-11-25T20-01-02-345Z-1.txt'));
    expect(await readFile(file, 'utf8')).toBe('hello');
  });
});
