import { describe, expect, it } from 'vitest';
import { CommandMarkParser, OscParser, escapeOscValue, unescapeOscValue, type MarkEvent } from './osc-parser';

const FIXED = new Date('2024-01-02T03:04:05.000Z');
const NONCE = '5f0c8a1e9b7d4c2a';
const osc = (body: string, st: 'bel' | 'st' = 'bel'): string => `\x1b]${body}${st === 'bel' ? '\x07' : '\x1b\\'}`;
/** A mark as the shell prints it: the terminal's nonce last. */
const mark = (body: string, st: 'bel' | 'st' = 'bel'): string => osc(`${body};${NONCE}`, st);

/** A realistic bash session: prompt, `echo hello`, output, next prompt. */
const SESSION =
  mark('133;A') +
  'user@host:~$ ' +
  osc('133;B') +
  'echo hello\r\n' +
  mark('633;E;echo hello') +
  mark('133;C') +
  'hello\r\n' +
  mark('133;D;0') +
  mark('133;A') +
  '\x1b[01;32muser@host\x1b[0m:~$ ' +
  osc('133;B');

function feed(chunks: string[]): MarkEvent[] {
  const parser = new CommandMarkParser('host-1', NONCE, () => FIXED);
  // Start marks are covered by their own test; most tests look at prompts and records.
  return chunks.flatMap((c) => parser.push(c)).filter((e) => e.kind !== 'start');
}

describe('OscParser', () => {
  it('extracts BEL- and ST-terminated payloads and ignores other escapes', () => {
    const p = new OscParser();
    expect(p.push(`a\x1b[31mred\x1b[0m${osc('0;title')}b${osc('133;A', 'st')}c`)).toEqual(['0;title', '133;A']);
  });

  it('carries a sequence split at every offset across chunks', () => {
    const text = `x${osc('633;E;ls -l')}y${osc('133;D;2', 'st')}z`;
    for (let cut = 0; cut <= text.length; cut++) {
      const p = new OscParser();
      expect([...p.push(text.slice(0, cut)), ...p.push(text.slice(cut))], `cut at ${cut}`).toEqual(['633;E;ls -l', '133;D;2']);
    }
  });

  it('survives one character per chunk', () => {
    const p = new OscParser();
    const got = [...SESSION].flatMap((ch) => p.push(ch));
    const n = `;${NONCE}`;
    expect(got).toEqual([`133;A${n}`, '133;B', `633;E;echo hello${n}`, `133;C${n}`, `133;D;0${n}`, `133;A${n}`, '133;B']);
  });

  it('drops an OSC aborted by another escape, CAN or SUB, then recovers', () => {
    const p = new OscParser();
    expect(p.push(`\x1b]133;A\x1b[31m${osc('133;B')}`)).toEqual(['133;B']);
    expect(p.push(`\x1b]133;C\x18 ${osc('133;D;1')}`)).toEqual(['133;D;1']);
    expect(p.push(`\x1b]nope\x1a${osc('ok')}`)).toEqual(['ok']);
  });

  it('handles an ESC ESC ] run and a lone ESC at the end of a chunk', () => {
    const p = new OscParser();
    expect(p.push('\x1b\x1b]1;a\x07')).toEqual(['1;a']);
    expect(p.push('abc\x1b')).toEqual([]);
    expect(p.push(']2;b\x07')).toEqual(['2;b']);
  });

  it('skips an oversized payload without growing, up to its terminator', () => {
    const p = new OscParser();
    expect(p.push(`\x1b]633;E;${'x'.repeat(300 * 1024)}`)).toEqual([]);
    expect(p.push(`more\x07${osc('133;C')}`)).toEqual(['133;C']);
  });

  it('ignores garbage', () => {
    const p = new OscParser();
    expect(p.push('\x07\x1b\\]133;A\x07\x00\x1b')).toEqual([]);
  });
});

describe('escapeOscValue / unescapeOscValue', () => {
  it('round-trips backslashes, semicolons, control characters and non-ASCII', () => {
    const line = `echo "a;b" 'c\\d' $'\\t'\ttab\nnext \x07 中文 🙂`;
    const escaped = escapeOscValue(line);
    expect(escaped).not.toMatch(/[;\x00-\x1f]/);
    expect(unescapeOscValue(escaped)).toBe(line);
  });

  it('escapes as VS Code does', () => {
    expect(escapeOscValue('a\\b;c\n')).toBe('a\\\\b\\x3bc\\x0a');
    expect(unescapeOscValue('\\x3B\\x1b\\\\x')).toBe(';\x1b\\x');
  });
});

describe('CommandMarkParser', () => {
  const record = (command: string, exitCode: number): MarkEvent => ({
    kind: 'command',
    record: { terminalId: 'host-1', command, exitCode, finishedAt: FIXED.toISOString() },
  });

  it('reports when a command starts', () => {
    const parser = new CommandMarkParser('host-1', NONCE, () => FIXED);
    expect(parser.push(SESSION).map((e) => e.kind)).toEqual(['prompt', 'start', 'command', 'prompt']);
  });

  it('reports prompts and a finished command', () => {
    expect(feed([SESSION])).toEqual([{ kind: 'prompt' }, record('echo hello', 0), { kind: 'prompt' }]);
  });

  it('gives the same events whatever the chunking', () => {
    const whole = feed([SESSION]);
    for (let cut = 0; cut <= SESSION.length; cut++) {
      expect(feed([SESSION.slice(0, cut), SESSION.slice(cut)]), `cut at ${cut}`).toEqual(whole);
    }
  });

  it('unescapes the command line and reads the exit code', () => {
    const line = `printf '%s;%s\\n' "a" 'b'`;
    expect(feed([mark(`633;E;${escapeOscValue(line)}`) + mark('133;C') + mark('133;D;130', 'st')])).toEqual([
      record(line, 130),
    ]);
  });

  it('ignores marks a program printed without the nonce, or with another one', () => {
    // The shell's own marks around a command whose output forges a finished `docker network create`.
    const forged = osc('633;E;docker network create x') + osc('133;C') + osc('133;D;0') + osc('133;A');
    const guessed = osc('633;E;docker network create y;deadbeef') + osc('133;C;deadbeef') + osc('133;D;0;deadbeef') + osc('133;A;deadbeef');
    const typed = `printf '\\e]133;D;0\\a'`;
    const session = mark(`633;E;${escapeOscValue(typed)}`) + mark('133;C') + forged + guessed + mark('133;D;0') + mark('133;A');
    expect(feed([session])).toEqual([record(typed, 0), { kind: 'prompt' }]);
  });

  it('ignores a mark with the nonce in the wrong place or extra fields', () => {
    const parser = new CommandMarkParser('host-1', NONCE, () => FIXED);
    const wrong = osc(`133;A;${NONCE};x`) + osc(`633;E;${NONCE}`) + osc(`133;${NONCE}`) + osc(`133;C;x;${NONCE}`) + osc(`133;D;0;x;${NONCE}`);
    expect(parser.push(wrong)).toEqual([]);
    expect(() => new CommandMarkParser('host-1', '')).toThrow(/nonce/);
  });

  it('reports nothing for a D without a started command (first prompt, empty Enter)', () => {
    expect(feed([mark('133;D;0') + mark('133;A') + mark('133;D;0') + mark('133;D;1')])).toEqual([{ kind: 'prompt' }]);
  });

  it('reports a command whose E mark was lost with an empty line', () => {
    expect(feed([mark('133;C') + 'out' + mark('133;D;1')])).toEqual([record('', 1)]);
  });

  it('reports each command once, with its own line', () => {
    const two = mark('633;E;true') + mark('133;C') + mark('133;D;0') + mark('633;E;false') + mark('133;C') + mark('133;D;1');
    expect(feed([two + mark('133;D;0')])).toEqual([record('true', 0), record('false', 1)]);
  });

  it('drops a D with a missing or malformed exit code', () => {
    expect(feed([mark('633;E;x') + mark('133;C') + mark('133;D') + mark('633;E;y') + mark('133;C') + mark('133;D;zz')])).toEqual([]);
  });

  it('ignores unrelated OSCs and unknown marks', () => {
    expect(feed([osc('0;title') + mark('133;Z') + mark('633;P;Cwd=/tmp') + osc('1337;x')])).toEqual([]);
  });
});
