import { describe, expect, it } from 'vitest';
import { parseArgs } from './args';

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

  it('knows --help', () => {
    expect(parseArgs(['-h'], DEFAULT)).toMatchObject({ help: true });
    expect(parseArgs(['--help'], DEFAULT)).toMatchObject({ help: true });
  });
});
