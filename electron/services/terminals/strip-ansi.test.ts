import { describe, expect, it } from 'vitest';
import { stripAnsi } from './strip-ansi';

describe('stripAnsi', () => {
  it('removes colours, OSC marks, cursor moves and control characters but keeps lines', () => {
    const raw = '\x1b]133;A\x07\x1b[01;32muser@host\x1b[0m:~$ \x1b]133;B\x1b\\echo hi\r\n\x1b[?2004lhi\x07\r\n\x1b(B\x1b[Jdone\t!';
    expect(stripAnsi(raw)).toBe('user@host:~$ echo hi\nhi\ndone\t!');
  });

  it('leaves plain and non-ASCII text alone', () => {
    expect(stripAnsi('容器 42\n')).toBe('容器 42\n');
  });
});
