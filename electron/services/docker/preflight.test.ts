import { describe, expect, it } from 'vitest';
import { classifyEngineError, normalizeImageName, probeImage } from './preflight';

function sysError(code: string): Error {
  return Object.assign(new Error(`connect ${code} /var/run/docker.sock`), { code });
}

describe('classifyEngineError', () => {
  it('maps a missing socket and a refused connection to not-running', () => {
    for (const code of ['ENOENT', 'ECONNREFUSED']) {
      const problem = classifyEngineError(sysError(code), 'unix:///var/run/docker.sock');
      expect(problem.code).toBe('not-running');
      expect(problem.advice.en).toContain('sudo systemctl start docker');
      expect(problem.advice.en).toContain('Docker Desktop');
      expect(problem.advice['zh-CN']).toContain('systemctl start docker');
    }
  });

  it('names every place the endpoint search looked when no engine answers', () => {
    const tried = ['unix:///Users/a/.docker/run/docker.sock (Docker Desktop)', 'unix:///Users/a/.colima/default/docker.sock (Colima)', 'unix:///var/run/docker.sock (system socket)'];
    const problem = classifyEngineError(sysError('ENOENT'), 'unix:///var/run/docker.sock', tried);
    expect(problem.advice.en).toContain(`NetLab looked for Docker at: ${tried.join('; ')}.`);
    expect(problem.advice['zh-CN']).toContain(`NetLab 查找过这些位置：${tried.join('；')}。`);
    // Nothing tried, nothing named; a permission problem is about the one socket, not the search.
    expect(classifyEngineError(sysError('ENOENT'), 'unix:///var/run/docker.sock').advice.en).not.toContain('looked for');
    expect(classifyEngineError(sysError('EACCES'), 'unix:///var/run/docker.sock', tried).advice.en).not.toContain('looked for');
  });

  it('maps EACCES to permission with the docker group advice', () => {
    const problem = classifyEngineError(sysError('EACCES'), 'unix:///var/run/docker.sock');
    expect(problem.code).toBe('permission');
    expect(problem.advice.en).toContain('sudo usermod -aG docker $USER');
    expect(problem.advice['zh-CN']).toContain('sudo usermod -aG docker $USER');
    expect(problem.message).toContain('unix:///var/run/docker.sock');
  });

  it('maps timeouts, network failures and anything else', () => {
    expect(classifyEngineError(sysError('ETIMEDOUT'), 'tcp://h:2376').code).toBe('timeout');
    expect(classifyEngineError(sysError('ENOTFOUND'), 'tcp://h:2376').code).toBe('unreachable');
    expect(classifyEngineError(new Error('boom'), 'tcp://h:2376').code).toBe('unknown');
    expect(classifyEngineError('odd', 'tcp://h:2376').message).toContain('odd');
  });
});

describe('normalizeImageName', () => {
  it('adds :latest only where no tag or digest is given', () => {
    expect(normalizeImageName('busybox')).toBe('busybox:latest');
    expect(normalizeImageName('busybox:1.36')).toBe('busybox:1.36');
    expect(normalizeImageName('localhost:5000/lab/busybox')).toBe('localhost:5000/lab/busybox:latest');
    expect(normalizeImageName('localhost:5000/lab/busybox:v2')).toBe('localhost:5000/lab/busybox:v2');
    expect(normalizeImageName('busybox@sha256:abc')).toBe('busybox@sha256:abc');
  });
});

describe('probeImage', () => {
  it('picks a present busybox for the doctor, never another image', () => {
    expect(probeImage(['httpd', 'busybox'], [true, true])).toBe('busybox');
    expect(probeImage(['localhost:5000/lab/busybox:v2'], [true])).toBe('localhost:5000/lab/busybox:v2');
    expect(probeImage(['busybox', 'httpd'], [false, true])).toBeUndefined();
    expect(probeImage(['notbusybox', 'busybox-extra'], [true, true])).toBeUndefined();
  });
});
