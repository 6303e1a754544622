import { describe, expect, it } from 'vitest';
import type { CoachHint } from '../../../electron/api/types';
import { dismissHint, hintKey, pushHint } from './coach';

const hint = (rule: string, command: string, at: string): CoachHint => ({
  rule,
  command,
  at,
  message: { en: rule, 'zh-CN': rule },
});

describe('coach hints', () => {
  it('keeps at most three, newest first', () => {
    let list: CoachHint[] = [];
    for (const [i, rule] of ['a', 'b', 'c', 'd'].entries()) list = pushHint(list, hint(rule, `cmd ${i}`, `t${i}`));
    expect(list.map((h) => h.rule)).toEqual(['d', 'c', 'b']);
  });

  it('replaces an older hint of the same rule for the same command', () => {
    let list = pushHint([], hint('dns', 'ping x', 't1'));
    list = pushHint(list, hint('other', 'ls', 't2'));
    list = pushHint(list, hint('dns', 'ping x', 't3'));
    expect(list.map((h) => [h.rule, h.at])).toEqual([
      ['dns', 't3'],
      ['other', 't2'],
    ]);
    list = pushHint(list, hint('dns', 'ping y', 't4'));
    expect(list).toHaveLength(3);
  });

  it('dismisses exactly one hint', () => {
    const a = hint('a', 'x', 't1');
    const b = hint('b', 'x', 't2');
    expect(dismissHint([b, a], hintKey(a))).toEqual([b]);
  });
});
