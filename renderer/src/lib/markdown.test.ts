import { describe, expect, it } from 'vitest';
import { keepHighlightClasses } from './highlight';
import { parseFenceInfo, renderInlineMarkdown, renderMarkdown, runRefOf, solutionMarkdown, type MarkdownLabels } from './markdown';

const labels: MarkdownLabels = {
  run: 'Run in terminal',
  runIn: (name) => `Run in ${name}`,
  copy: 'Copy',
  checkpointTitle: (id) => (id === 'net-created' ? 'The network <exists>' : id),
};

/** The HTML with highlight spans taken out, to compare the code's text. */
function withoutSpans(html: string): string {
  return html.replace(/<span class="hljs-[^"]*">|<\/span>/g, '');
}

describe('parseFenceInfo', () => {
  it('maps info strings to terminals', () => {
    expect(parseFenceInfo('sh')).toEqual({ lang: 'sh', terminal: 'host' });
    expect(parseFenceInfo('bash')).toEqual({ lang: 'bash', terminal: 'host' });
    expect(parseFenceInfo('shell')).toEqual({ lang: 'shell', terminal: 'host' });
    expect(parseFenceInfo('sh terminal=web1')).toEqual({ lang: 'sh', terminal: 'web1' });
    expect(parseFenceInfo('text')).toEqual({ lang: 'text' });
    expect(parseFenceInfo('output')).toEqual({ lang: 'output' });
    expect(parseFenceInfo('')).toEqual({ lang: '' });
    expect(parseFenceInfo('sh terminal=bad;name')).toEqual({ lang: 'sh' });
    expect(parseFenceInfo('sh terminal=docker-host')).toEqual({ lang: 'sh', terminal: 'docker-host' });
    expect(parseFenceInfo('sh terminal=web1 block=en.3')).toEqual({ lang: 'sh', terminal: 'web1', run: { kind: 'block', block: 'en.3' } });
    expect(parseFenceInfo('sh solution=2+3')).toEqual({ lang: 'sh', terminal: 'host', run: { kind: 'solution', from: 2, count: 3 } });
    expect(parseFenceInfo('sh block=../x')).toEqual({ lang: 'sh', terminal: 'host' });
    // console is not one of the lesson format's runnable languages (the loader refuses it).
    expect(parseFenceInfo('console')).toEqual({ lang: 'console' });
  });
});

describe('renderMarkdown', () => {
  it('escapes raw HTML instead of rendering it', () => {
    const html = renderMarkdown('Hello <script>alert(1)</script> <img src=x onerror=alert(1)>', labels);
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;');
  });

  it('keeps only http, https and mailto links, opening them in a new window', () => {
    const html = renderMarkdown(
      '[docs](https://docs.docker.com) [bad](javascript:alert(1)) [file](file:///etc/passwd) <mailto:a@b.c> https://example.com/x',
      labels,
    );
    expect(html).toContain('<a href="https://docs.docker.com" target="_blank" rel="noopener noreferrer">docs</a>');
    expect(html).toContain('href="mailto:a@b.c"');
    expect(html).toContain('href="https://example.com/x"');
    expect(html).not.toContain('href="javascript:');
    expect(html).toContain('[bad](javascript:alert(1))');
    expect(html).not.toContain('href="file:');
  });

  it('does not link bare host names', () => {
    expect(renderMarkdown('ping web.local and docker.io', labels)).not.toContain('<a ');
  });

  it('makes shell blocks the loader named runnable in the host shell, with escaped code', () => {
    const html = renderMarkdown('```sh block=en.0\ndocker network create lab-net\necho "<b>"\n```', labels);
    expect(html).toContain('data-testid="run-in-terminal" data-terminal="host" data-run="en.0">Run in terminal</button>');
    expect(html).toContain('data-testid="copy-code"');
    // Highlighting adds spans; the text under them stays escaped.
    expect(withoutSpans(html)).toContain('<code class="language-sh">docker network create lab-net\necho &quot;&lt;b&gt;&quot;\n</code>');
  });

  it('targets a container terminal with terminal=NAME', () => {
    const html = renderMarkdown('```sh terminal=web1 block=zh-CN.12\nip addr\n```', labels);
    expect(html).toContain('data-testid="run-in-terminal" data-terminal="web1" data-run="zh-CN.12">Run in web1</button>');
  });

  it('gives a shell block no Run button unless it names what the main process should run', () => {
    const html = renderMarkdown('```sh\nrm -rf ~\n```', labels);
    expect(html).not.toContain('run-in-terminal');
    expect(withoutSpans(html)).toContain('rm -rf ~');
  });

  it('reads a Run button\'s target back, and nothing else', () => {
    expect(runRefOf('en.3')).toEqual({ kind: 'block', block: 'en.3' });
    expect(runRefOf('solution:0+2')).toEqual({ kind: 'solution', from: 0, count: 2 });
    expect(runRefOf('docker rm -f web1')).toBeUndefined();
    expect(runRefOf(undefined)).toBeUndefined();
  });

  it('leaves text and output blocks plain', () => {
    const html = renderMarkdown('```output\n1: lo: <LOOPBACK>\n```\n\n```text\nhello\n```', labels);
    expect(html).not.toContain('run-in-terminal');
    expect(html).toContain('&lt;LOOPBACK&gt;');
  });

  it('renders checkpoint markers as badges with an escaped title', () => {
    const html = renderMarkdown('::: checkpoint net-created\nCreate it first.\n:::\n', labels);
    expect(html).toContain('data-testid="checkpoint-inline" data-checkpoint-id="net-created" data-status="pending"');
    expect(html).toContain('<span class="cp-title">The network &lt;exists&gt;</span>');
    expect(html).toContain('<p>Create it first.</p>');
  });

  it('ignores malformed checkpoint markers', () => {
    const html = renderMarkdown('::: checkpoint Bad ID!\n:::\n', labels);
    expect(html).not.toContain('checkpoint-inline');
  });
});

describe('solutionMarkdown', () => {
  it('wraps commands in a runnable block that survives backticks', () => {
    const src = solutionMarkdown([
      { terminal: 'host', command: 'docker network create lab' },
      { terminal: 'host', command: 'echo ```' },
    ]);
    const html = renderMarkdown(src, labels);
    expect(html).toContain('data-testid="run-in-terminal" data-terminal="host" data-run="solution:0+2"');
    expect(withoutSpans(html)).toContain('docker network create lab\necho ```\n</code>');
  });

  it('gives commands for another terminal a block of their own', () => {
    const html = renderMarkdown(
      solutionMarkdown([
        { terminal: 'host', command: 'docker run -di --name bbox01 busybox' },
        { terminal: 'docker-host', command: 'ip link show docker0' },
      ]),
      labels,
    );
    expect(html).toContain('data-terminal="host" data-run="solution:0+1"');
    expect(html).toContain('data-terminal="docker-host" data-run="solution:1+1"');
  });
});

describe('quizzes in Markdown', () => {
  it('renders a quiz marker as a slot with its id, keeping text inside it', () => {
    const html = renderMarkdown('Before.\n\n::: quiz which-mode\nThink about `lo`.\n:::\n\nAfter.', labels);
    expect(html).toContain('<div class="quiz-slot" data-quiz-slot="which-mode"><p>Think about <code>lo</code>.</p>\n</div>');
    expect(html).toContain('<p>After.</p>');
  });

  it('ignores malformed quiz markers', () => {
    expect(renderMarkdown('::: quiz Bad!\n:::\n', labels)).not.toContain('quiz-slot');
  });

  it('renders inline Markdown for questions without block tags and escapes HTML', () => {
    expect(renderInlineMarkdown('Which mode leaves only `lo`? <b>x</b>')).toBe('Which mode leaves only <code>lo</code>? &lt;b&gt;x&lt;/b&gt;');
  });
});

describe('highlighted code blocks', () => {
  it('marks shell tokens with hljs spans and keeps the code text intact', () => {
    const html = renderMarkdown('```sh block=en.1\n# list them\ndocker network ls --filter "name=lab" | grep -c lab\n```', labels);
    expect(html).toContain('<span class="hljs-comment"># list them</span>');
    expect(html).toContain('<span class="hljs-string">&quot;name=lab&quot;</span>');
    expect(withoutSpans(html)).toContain('docker network ls --filter &quot;name=lab&quot; | grep -c lab\n</code>');
    expect(html).toContain('data-testid="run-in-terminal"');
    // Focusable, so Ctrl+Enter can run it from the keyboard.
    expect(html).toContain('<pre tabindex="0"><code class="language-sh">');
  });

  it('highlights json and yaml samples without making them runnable', () => {
    const html = renderMarkdown('```json\n{"Name": "bridge", "IPAM": null}\n```\n\n```yaml\nid: dns # the lesson\n```', labels);
    expect(html).toContain('<span class="hljs-attr">&quot;Name&quot;</span>');
    expect(html).toContain('<span class="hljs-literal"><span class="hljs-keyword">null</span></span>');
    expect(html).toContain('<span class="hljs-comment"># the lesson</span>');
    expect(html).not.toContain('run-in-terminal');
  });

  it('leaves output samples without any spans', () => {
    const html = renderMarkdown('```output\nPING web (172.18.0.2): 56 data bytes # not a comment\n```\n\n```text\necho "x"\n```', labels);
    expect(html).not.toContain('<span');
    expect(html).not.toContain('tabindex');
    expect(html).toContain('echo &quot;x&quot;');
  });

  it('never lets markup in code through: tags and event attributes stay escaped text', () => {
    const html = renderMarkdown('```sh\necho "<img src=x onerror=alert(1)>" <script>alert(1)</script>\n```', labels);
    expect(html).not.toMatch(/<img|<script/);
    expect(html).not.toMatch(/<[^>]*\sonerror=/);
    expect(html).toContain('&lt;script&gt;');
    expect(html.match(/<span [^>]*>/g)?.every((tag) => /^<span class="hljs-[a-z_-]+">$/.test(tag))).toBe(true);
  });
});

describe('keepHighlightClasses', () => {
  it('keeps only hljs-* token classes', () => {
    expect(keepHighlightClasses('hljs-string')).toBe('hljs-string');
    expect(keepHighlightClasses('hljs-title function_')).toBe('hljs-title');
    expect(keepHighlightClasses('evil hljs-x" onclick')).toBe('');
    expect(keepHighlightClasses('cp-title')).toBe('');
    expect(keepHighlightClasses('')).toBe('');
  });
});
