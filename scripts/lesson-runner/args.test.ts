import { describe, expect, it } from 'vitest';
import { findShell, parseArgs } from './args';

const DEFAULT = '/repo/lessons';

describe('lessons:test arguments', () => {
  it('defaults to every lesson of the repo folder', () => {
    expect(parseArgs([], DEFAULT, '/cwd')).toEqual({ lessonIds: [], lessonsDir: DEFAULT, extra: false, help: false });
  });

  it('takes lesson ids in order, once each', () => {
    expect(parseArgs(['dns', 'bridge', 'dns'], DEFAULT, '/cwd')).toMatchObject({ lessonIds: ['dns', 'bridge'] });
  });

  it('takes --lessons DIR and --lessons=DIR relative to the working folder', () => {
    expect(parseArgs(['--lessons', 'mine', 'x'], DEFAULT, '/cwd')).toMatchObject({ lessonsDir: '/cwd/mine', extra: true, lessonIds: ['x'] });
    expect(parseArgs(['--lessons=/abs/l'], DEFAULT, '/cwd')).toMatchObject({ lessonsDir: '/abs/l', extra: true });
  });

  it('refuses a --lessons without a folder and unknown options', () => {
    expect(parseArgs(['--lessons'], DEFAULT)).toEqual({ error: '--lessons needs a folder' });
    expect(parseArgs(['--lessons', '--x'], DEFAULT)).toEqual({ error: '--lessons needs a folder' });
    expect(parseArgs(['--lessons='], DEFAULT)).toEqual({ error: '--lessons needs a folder' });
    expect(parseArgs(['--fast'], DEFAULT)).toEqual({ error: 'unknown option: --fast' });
  });

  it('takes --shell PATH and --shell=PATH: a path from the working folder, a bare name as it is', () => {
    expect(parseArgs(['--shell', '/bin/sh', 'dns'], DEFAULT, '/cwd')).toMatchObject({ shell: '/bin/sh', lessonIds: ['dns'] });
    expect(parseArgs(['--shell=./bin/myshell'], DEFAULT, '/cwd')).toMatchObject({ shell: '/cwd/bin/myshell' });
    expect(parseArgs(['--shell', 'zsh'], DEFAULT, '/cwd')).toMatchObject({ shell: 'zsh' });
    expect(parseArgs([], DEFAULT, '/cwd')).not.toHaveProperty('shell');
  });

  it('refuses a --shell without a program', () => {
    expect(parseArgs(['--shell'], DEFAULT)).toEqual({ error: '--shell needs a program' });
    expect(parseArgs(['--shell', '--lessons', 'x'], DEFAULT)).toEqual({ error: '--shell needs a program' });
    expect(parseArgs(['--shell='], DEFAULT)).toEqual({ error: '--shell needs a program' });
  });

  it('finds the shell: a runnable path, or a name in PATH', () => {
    expect(findShell(process.execPath)).toBe(process.execPath);
    expect(findShell('/no/such/shell')).toBeUndefined();
    const dir = process.execPath.slice(0, process.execPath.lastIndexOf('/'));
    const name = process.execPath.slice(dir.length + 1);
    expect(findShell(name, `/no/such/dir:${dir}`)).toBe(process.execPath);
    expect(findShell('no-such-shell-here', dir)).toBeUndefined();
  });

  it('knows --help', () => {
    expect(parseArgs(['-h'], DEFAULT)).toMatchObject({ help: true });
    expect(parseArgs(['--help'], DEFAULT)).toMatchObject({ help: true });
  });
});
