// The words of the desktop app's consent dialog, written by the main process
// from the lesson it loaded: a page can neither write nor hide any of them.
// Every command is shown whole, one per line, with the terminal it goes to.
import type { Locale } from '../api/types';
import type { ConsentQuestion } from '../services/settings/lesson-consent';

interface ConsentText {
  title: string;
  message: string;
  detail: string;
  buttons: [cancel: string, allow: string];
}

const WORDS = {
  en: {
    title: 'Allow this lesson to run commands?',
    message: (title: string) => `“${title}” comes from outside the built-in course. Allow it to run these on your machine?`,
    from: (folder: string) => `From the folder: ${folder}`,
    commands: 'Commands its Run buttons and “Do it for me” can type (terminal: command):',
    probes: 'Read-only checks it runs by itself inside lab containers (container: command):',
    setup: 'Commands it runs by itself when its lab opens or is reset, to set the lab up (terminal: command):',
    remember: 'Your answer is kept for this version of the lesson; if the lesson changes, you are asked again.',
    buttons: ['Cancel', 'Allow'] as [string, string],
  },
  'zh-CN': {
    title: '允许这门课程运行命令吗？',
    message: (title: string) => `“${title}”来自内置课程之外。允许它在你的电脑上运行以下内容吗？`,
    from: (folder: string) => `来自文件夹：${folder}`,
    commands: '它的“运行”按钮和“帮我完成”可能输入的命令（终端：命令）：',
    probes: '它会自行在实验容器中运行的只读检查（容器：命令）：',
    setup: '打开或重置实验环境时，它会自行运行以下命令来准备环境（终端：命令）：',
    remember: '你的选择对这一版本的课程有效；课程内容变化后会再次询问。',
    buttons: ['取消', '允许'] as [string, string],
  },
} satisfies Record<Locale, unknown>;

export function consentText(question: ConsentQuestion, locale: Locale): ConsentText {
  const w = WORDS[locale];
  const lines = [w.from(question.folder), ''];
  if (question.setup && question.setup.length > 0) {
    lines.push(w.setup, ...question.setup.map((c) => `  ${c.terminal}: ${c.command}`), '');
  }
  if (question.commands.length > 0) {
    lines.push(w.commands, ...question.commands.map((c) => `  ${c.terminal}: ${c.command.replace(/\n/g, '\n    ')}`), '');
  }
  if (question.probes.length > 0) {
    lines.push(w.probes, ...question.probes.map((p) => `  ${p.container}: ${p.command.join(' ')}`), '');
  }
  lines.push(w.remember);
  return { title: w.title, message: w.message(question.title[locale]), detail: lines.join('\n'), buttons: w.buttons };
}
