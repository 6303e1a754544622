import { describe, expect, it } from 'vitest';
import { methods } from '../../api/contract';
import type { NameConflict } from '../../api/types';
import { matchConflict } from './conflicts';

const web1: NameConflict = { kind: 'container', name: 'web1', id: 'a'.repeat(64), image: 'httpd', state: 'running' };

describe('matchConflict', () => {
  it('finds the conflict with the same kind, name and id', () => {
    expect(matchConflict([web1], { kind: 'container', name: 'web1', id: web1.id })).toBe(web1);
  });

  it('refuses an id that is no longer the one with that name', () => {
    expect(() => matchConflict([web1], { kind: 'container', name: 'web1', id: 'b'.repeat(64) })).toThrow(/different one .*nothing was changed/);
  });

  it('refuses a name that is not a conflict (or a network where a container was listed)', () => {
    expect(() => matchConflict([web1], { kind: 'network', name: 'web1', id: web1.id })).toThrow(/any more/);
    expect(() => matchConflict([], { kind: 'container', name: 'web1', id: web1.id })).toThrow(/any more/);
  });
});

describe('lab.resolveConflict input', () => {
  const schema = methods['lab.resolveConflict'].input;
  const ok = { lessonId: 'joined', kind: 'container', name: 'web1', id: 'a'.repeat(64), action: 'remove' };
  it('accepts a listed conflict and refuses anything else', () => {
    expect(schema.safeParse(ok).success).toBe(true);
    expect(schema.safeParse({ ...ok, id: 'web1' }).success).toBe(false);
    expect(schema.safeParse({ ...ok, action: 'continue' }).success).toBe(false);
    expect(schema.safeParse({ ...ok, kind: 'volume' }).success).toBe(false);
    expect(schema.safeParse({ ...ok, name: '../x' }).success).toBe(false);
    expect(schema.safeParse({ ...ok, extra: 1 }).success).toBe(false);
  });
});
