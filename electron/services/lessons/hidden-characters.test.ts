import { describe, expect, it } from 'vitest';
import { findHiddenCharacter } from './hidden-characters';

describe('findHiddenCharacter', () => {
  it('accepts plain commands with tabs, newlines and non-Latin text', () => {
    expect(findHiddenCharacter('docker network create custom_network\n\tdocker ps # 容器列表')).toBeUndefined();
  });

  it.each([
    ['^U that clears the line', 'echo safe\u0015rm -rf ~', 'U+0015'],
    ['DEL characters that rub out a visible suffix', 'rm -rf ~/netlab-tmp\u007f\u007f\u007f\u007f\u007f\u007f\u007f\u007f\u007f\u007f\u007f', 'U+007F DELETE'],
    ['ESC that starts a terminal sequence', 'echo \u001b[2J', 'U+001B ESCAPE'],
    ['a carriage return that ends the line early', 'echo a\rrm x', 'U+000D'],
    ['a right-to-left override', 'ls \u202Eexe.txt', 'U+202E RIGHT-TO-LEFT OVERRIDE'],
    ['a bidi isolate', 'echo \u2066x\u2069', 'U+2066'],
    ['a zero-width space', 'docker\u200Brm web1', 'U+200B ZERO WIDTH SPACE'],
    ['a C1 control', 'echo \u009b31m', 'U+009B'],
    ['a byte-order mark in the middle', 'echo a\uFEFFb', 'U+FEFF'],
  ])('finds %s', (_label, text, name) => {
    expect(findHiddenCharacter(text)?.name).toContain(name);
  });

  it('says on which line of the text it is', () => {
    expect(findHiddenCharacter('one\ntwo\nthr\u202Eee')).toMatchObject({ line: 2, index: 11 });
  });
});
