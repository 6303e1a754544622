import { describe, expect, it } from 'vitest';
import { ShareMarkFilter } from './share-mark-filter';

const NONCE = 'f00dfeed';
const prompt = `\x1b]133;D;0;${NONCE}\x07\x1b]133;A;${NONCE}\x07$ `;
const command = `\x1b]633;E;echo hi;${NONCE}\x1b\\\x1b]133;C;${NONCE}\x07hi\r\n`;

describe('ShareMarkFilter', () => {
  it('removes the shell-integration marks, and their nonce, keeping everything else', () => {
    const f = new ShareMarkFilter();
    const out = f.push(`${prompt}echo hi\r\n${command}\x1b[32mgreen\x1b[0m \x1b]0;title\x07`);
    expect(out).toBe('$ echo hi\r\nhi\r\n\x1b[32mgreen\x1b[0m \x1b]0;title\x07');
    expect(out).not.toContain(NONCE);
  });

  it('removes a mark split anywhere across chunks', () => {
    const whole = `a${prompt}b${command}c`;
    for (let cut = 0; cut <= whole.length; cut++) {
      const f = new ShareMarkFilter();
      expect(f.push(whole.slice(0, cut)) + f.push(whole.slice(cut))).toBe('a$ bhi\r\nc');
    }
  });

  it('passes other escapes and OSCs through, split or not', () => {
    const text = '\x1b[2J\x1b]8;;https://example.org\x07link\x1b]8;;\x07\x1b]1337;x\x07';
    const f = new ShareMarkFilter();
    let out = '';
    for (const ch of text) out += f.push(ch);
    expect(out).toBe(text);
  });
});
