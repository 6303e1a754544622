import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addSecret, closeAppLog, createFileLog, log, LOG_FILE, openAppLog, readLastLines } from './logger';
import { redactSecrets } from './redact';

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'netlab-log-'));
}

afterEach(async () => {
  await closeAppLog();
});

describe('rotating log file', () => {
  it('rotates past the size limit, keeps at most `keep` old files, and reads the last lines in order', async () => {
    const dir = await tempDir();
    const file = createFileLog({ dir, maxBytes: 4096, keep: 3 });
    const padding = 'x'.repeat(100);
    // ~170 bytes a line: 400 lines is ~68 KiB, many times the 4 KiB limit.
    for (let i = 0; i < 400; i++) file.logger.info({ i }, `line ${i} ${padding}`);
    await file.close();

    const files = (await readdir(dir)).sort();
    expect(files).toContain(LOG_FILE);
    expect(files).toContain(`${LOG_FILE}.1`);
    expect(files).toContain(`${LOG_FILE}.3`);
    expect(files).not.toContain(`${LOG_FILE}.4`);
    for (const f of files.filter((f) => f.startsWith(LOG_FILE))) {
      // A file rotates once it passes the limit, so it holds at most one line beyond it.
      expect((await readFile(join(dir, f))).length).toBeLessThan(4096 + 400);
    }

    const last = await readLastLines(dir, 30, 3);
    expect(last).toHaveLength(30);
    const numbers = last.map((l) => (JSON.parse(l) as { i: number }).i);
    // The newest 30 lines, oldest first, spanning the current file and the rotated one(s).
    expect(numbers).toEqual(Array.from({ length: 30 }, (_, k) => 370 + k));
  });

  it('reads what exists when there are fewer lines than asked, and nothing from a missing folder', async () => {
    const dir = await tempDir();
    const file = createFileLog({ dir });
    file.logger.info('only one');
    await file.close();
    const lines = await readLastLines(dir, 200);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ level: 30, msg: 'only one' });
    expect(await readLastLines(join(dir, 'nope'), 10)).toEqual([]);
  });
});

describe('the app logger', () => {
  it('writes levelled JSON lines into <dataDir>/logs and never writes a registered secret or a token-shaped URL', async () => {
    const dataDir = await tempDir();
    await openAppLog(dataDir);
    const token = 'Zk3p9QvX2mN8rT4wY6bC1dF5gH7jK0lA';
    addSecret(token);
    log.debug('hidden at info level');
    log.info('serving', { url: `http://127.0.0.1:5183/?token=${token}` });
    log.warn(`open http://127.0.0.1:5183/?token=${token} in a browser`);
    log.error('dispatch failed', { err: new Error(`bad token ${token}`), token });
    await closeAppLog();

    const text = await readFile(join(dataDir, 'logs', LOG_FILE), 'utf8');
    expect(text).not.toContain(token);
    const lines = text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.level)).toEqual([30, 40, 50]);
    expect(lines[1]?.msg).toBe('open http://127.0.0.1:5183/?token=[redacted] in a browser');
    expect(lines[2]).toMatchObject({ msg: 'dispatch failed', token: '[redacted]', err: { message: 'bad token [redacted]' } });
  });
});

describe('redactSecrets', () => {
  it('removes known secrets, key=value credentials, bearer tokens and URL passwords', () => {
    expect(redactSecrets('a s3cr3t-value b', ['s3cr3t-value'])).toBe('a [redacted] b');
    expect(redactSecrets('GET /?token=abc123&x=1')).toBe('GET /?token=[redacted]&x=1');
    expect(redactSecrets('cookie: netlab_token=abc; other=1')).toBe('cookie: netlab_token=[redacted]; other=1');
    expect(redactSecrets('{"password":"hunter2"}')).toBe('{"password":"[redacted]"}');
    expect(redactSecrets('Authorization: Bearer eyJhbGciOi.x.y')).toBe('Authorization: Bearer [redacted]');
    expect(redactSecrets('DOCKER_HOST=ssh://me:pa55@host')).toBe('DOCKER_HOST=ssh://me:[redacted]@host');
  });

  it('removes random-looking long strings but keeps Docker ids, digests and words', () => {
    const token = 'q7Rk2VtXb9NwLm4PzY8aDc1FhJ3sGe6U';
    expect(redactSecrets(`saw ${token} here`)).toBe('saw [redacted] here');
    const id = 'c3f279d17e0a6b2c8e1f4d5a9b0c7e2f1a3b5c7d9e0f2a4b6c8d0e1f3a5b7c9d';
    expect(redactSecrets(`container ${id}`)).toBe(`container ${id}`);
    expect(redactSecrets(`image sha256:${id}`)).toBe(`image sha256:${id}`);
    expect(redactSecrets('network itest-ck-net2 created, container web1 started')).toBe('network itest-ck-net2 created, container web1 started');
    const report = '/data/reports/netlab-report-2026-11-25T20-01-02-345Z.txt';
    expect(redactSecrets(report)).toBe(report);
  });
});
