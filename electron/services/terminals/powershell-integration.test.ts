// PowerShell cannot run here (Debian has none): the script is checked as text.
// What a real PowerShell would show (the marks, the learner's prompt, the
// exit codes) is for a machine that has one.
import { describe, expect, it } from 'vitest';
import { escapeOscValue } from './osc-parser';
import { POWERSHELL_INIT, powershellArgs, powershellQuote } from './powershell-integration';

const script = POWERSHELL_INIT;
const at = (text: string): number => {
  const i = script.indexOf(text);
  if (i < 0) throw new Error(`the script has no ${text}`);
  return i;
};
/** The body of a function the script defines, up to the next line indented as its `function` line. */
function body(name: string): string {
  const start = at(`function Global:${name}`);
  const indent = /^ */.exec(script.slice(script.lastIndexOf('\n', start) + 1))?.[0] ?? '';
  const end = script.indexOf(`\n${indent}}`, start);
  return script.slice(start, end);
}

describe('the PowerShell script', () => {
  it('is small, ASCII (Windows PowerShell reads it in the code page) and balanced', () => {
    expect(script.split('\n').length).toBeLessThan(90);
    expect(/^[\x20-\x7e\n]*$/.test(script)).toBe(true);
    const count = (c: string): number => script.split(c).length - 1;
    expect(count('{')).toBe(count('}'));
    expect(count('(')).toBe(count(')'));
  });

  it('runs in a scope of its own, once per session', () => {
    expect(script).toMatch(/^#[^\n]*\n#[^\n]*\n& \{\n {4}Set-StrictMode -Off\n {4}if \(\$Global:__NetLabInstalled\) \{ return \}/);
  });

  it('takes the nonce out of the environment before it defines anything', () => {
    const read = at('$Global:__NetLabNonce = $env:NETLAB_NONCE');
    const removed = at('Remove-Item Env:NETLAB_NONCE');
    expect(read).toBeLessThan(removed);
    expect(removed).toBeLessThan(at('function Global:'));
    expect(script.match(/NETLAB_NONCE/g)).toHaveLength(2);
  });

  it('puts the nonce last in every mark the parser acts on', () => {
    expect(body('__NetLab-Mark')).toContain('"$([char]27)]$body;$Global:__NetLabNonce$([char]7)"');
    // Every other escape sequence is the B mark, which the parser ignores.
    const raw = script.match(/\[char\]27\)\][^"]*/g) ?? [];
    expect(raw).toEqual(['[char]27)]$body;$Global:__NetLabNonce$([char]7)', '[char]27)]133;B$([char]7)']);
    const marks = [...script.matchAll(/__NetLab-Mark (["'])(.*?)\1/g)].map((m) => m[2]);
    expect(new Set(marks)).toEqual(new Set(['633;E;$(__NetLab-Escape $line)', '133;C', '633;E;$(__NetLab-Escape $last.CommandLine)', '133;D;$code', '133;A']));
  });

  it('wraps the learner’s prompt, which still writes the prompt, with their $?', () => {
    const saved = at('$Global:__NetLabPrompt = $function:prompt');
    expect(saved).toBeLessThan(at('function Global:prompt'));
    const prompt = body('prompt');
    // $? first: any statement before it would change it.
    expect(prompt).toMatch(/^function Global:prompt \{\n\s+# [^\n]*\n\s+\$ok = \$global:\?\n/);
    expect(prompt).toContain("if (-not $ok) { Write-Error 'failure' -ErrorAction Ignore }");
    expect(prompt).toContain("(& $Global:__NetLabPrompt) -join ''");
    expect(prompt.indexOf("__NetLab-Mark '133;A'")).toBeLessThan(prompt.indexOf('& $Global:__NetLabPrompt'));
    // The command's own exit code when a native program failed, else 0 or 1.
    expect(prompt).toContain('$code = if ($ok) { 0 } elseif ($global:LASTEXITCODE -is [int] -and $global:LASTEXITCODE -ne 0) { $global:LASTEXITCODE } else { 1 }');
    expect(prompt).toContain('if ($Global:__NetLabRan) { $marks += (__NetLab-Mark "133;D;$code") }');
  });

  it('reports the line PSReadLine read, through the learner’s own read function', () => {
    expect(at('$Global:__NetLabReadLine = $function:PSConsoleHostReadLine')).toBeLessThan(at('function Global:PSConsoleHostReadLine'));
    const readLine = body('PSConsoleHostReadLine');
    expect(readLine).toContain('$line = & $Global:__NetLabReadLine');
    expect(readLine).toContain('[string]::IsNullOrWhiteSpace($line)');
    expect(readLine.trimEnd().endsWith('$line')).toBe(true);
  });

  it('escapes a command line as VS Code does', () => {
    const escape = body('__NetLab-Escape');
    // The same pattern means the same in .NET and JavaScript: apply it here as the script does.
    const pattern = /\[regex\]::Replace\(\$value, '([^']*)'/.exec(escape)?.[1];
    expect(pattern).toBe('[\\\\;\\x00-\\x1f]');
    expect(escape).toContain("if ($m.Value -eq '\\') { '\\\\' } else { '\\x{0:x2}' -f [int][char]$m.Value }");
    const apply = (value: string): string =>
      value.replace(new RegExp(pattern ?? '', 'g'), (m) => (m === '\\' ? '\\\\' : `\\x${m.charCodeAt(0).toString(16).padStart(2, '0')}`));
    for (const line of ['printf "%s;%s\\n" a\\b\ttab é', 'Get-ChildItem `\n  -Force\r\n', 'docker network create x;y']) {
      expect(apply(line)).toBe(escapeOscValue(line));
    }
  });
});

describe('powershellArgs', () => {
  it('dot-sources the script after the profile, or with none', () => {
    const file = "C:\\Users\\O'Brien\\App Data\\netlab.ps1";
    const [noExit, command, load] = powershellArgs(file, false);
    expect([noExit, command]).toEqual(['-NoExit', '-Command']);
    expect(load).toContain(". 'C:\\Users\\O''Brien\\App Data\\netlab.ps1'");
    expect(load).toMatch(/^try \{ \. '.*' \} catch \{ Write-Warning \('.*' \+ \$_\) \}$/);
    // No double quote: Windows' command-line quoting passes it through unchanged.
    expect(load).not.toContain('"');
    expect(powershellArgs(file, true).slice(0, 3)).toEqual(['-NoExit', '-NoProfile', '-Command']);
  });

  it('quotes as PowerShell’s single quotes do', () => {
    expect(powershellQuote("it's")).toBe("'it''s'");
    expect(powershellQuote('C:\\a b')).toBe("'C:\\a b'");
  });
});
