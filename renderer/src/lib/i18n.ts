// UI strings for both locales, and the pure helpers around them. Lesson text
// itself arrives as Localized records from the API; only the chrome lives here.
import type { ImagePackResult, Locale, Localized, ResetResult } from '../../../electron/api/types';

const en = {
  'app.title': 'NetLab',
  'app.language': 'Language',
  'banner.disconnected': 'Disconnected from the lab server — reload the page',
  'banner.connecting': 'Connecting to the lab server…',
  'banner.engine': 'Docker engine unreachable — {message}',
  'banner.engineDefault': 'is Docker running?',
  'common.loading': 'Loading…',
  'common.retry': 'Retry',
  'common.cancel': 'Cancel',
  'common.error': 'Something went wrong: {message}',
  'home.heading': 'Lessons',
  'home.intro': 'Learn Docker container networking by doing: read a step, run the commands, and watch the checkpoints turn green.',
  'home.progress': '{passed}/{total} checkpoints',
  'home.steps': '{count} steps',
  'home.open': 'Open lesson',
  'home.empty': 'No lessons found.',
  'home.extra': 'Extra lesson',
  'home.problems': 'Problems found in the lessons',
  'home.problemsHelp': 'These lessons could not be loaded completely. Fix the files and restart NetLab.',
  'home.progressWarning': 'Your saved progress could not be read: {message}',
  'preflight.heading': 'Docker',
  'preflight.checking': 'Checking the Docker engine…',
  'preflight.ok': 'Docker engine {version} reachable at {endpoint}',
  'preflight.desktop': 'Docker Desktop',
  'preflight.unreachable': 'The Docker engine is not reachable ({endpoint}).',
  'preflight.recheck': 'Check again',
  'preflight.images': 'Lab images',
  'preflight.present': 'present',
  'preflight.missing': 'missing',
  'preflight.pull': 'Pull',
  'preflight.pullImage': 'Pull {image}',
  'preflight.pulling': 'Pulling…',
  'preflight.pullFailed': 'Pull failed: {message}',
  'preflight.desktopNote':
    'Docker Desktop runs the engine in a small virtual machine: docker0 and the veth interfaces live there, not on this computer. In a lesson, open the Docker host view to see them.',
  'pack.importLabel': 'No internet? Import an image pack:',
  'pack.path': 'Path of the image pack file',
  'pack.pathPlaceholder': '/path/to/netlab-images.tar',
  'pack.import': 'Import image pack…',
  'pack.importing': 'Importing…',
  'pack.phaseVerify': 'Checking the file',
  'pack.phaseLoad': 'Loading the images',
  'pack.imported': 'Imported {images} from {file} ({size}).',
  'pack.importFailed': 'Import failed: {message}',
  'pack.needPath': 'Enter the path of the image pack file first.',
  'pack.export': 'Export image pack',
  'pack.exporting': 'Exporting…',
  'pack.exported': 'Wrote {images} ({size}) to {file}.',
  'pack.exportFailed': 'Export failed: {message}',
  'pack.exportPath': 'Where to write the image pack',
  'workshop.heading': 'Workshop tools',
  'workshop.exportHelp': 'Save the course images into one file, then import it on machines without internet access.',
  'lesson.back': 'All lessons',
  'lesson.backLabel': 'Back to the lesson list',
  'lesson.reset': 'Reset lab',
  'lesson.resetConfirm': 'Remove everything this lab created?',
  'lesson.resetConfirmButton': 'Yes, reset',
  'lesson.resetting': 'Resetting…',
  'lesson.resetFailed': 'Reset failed: {message}',
  'lesson.labFailed': 'The lab could not be opened: {message}',
  'lesson.loadFailed': 'The lesson could not be loaded: {message}',
  'lesson.intro': 'Introduction',
  'lesson.steps': 'Steps',
  'lesson.stepOf': 'Step {current} of {total}',
  'lesson.prev': 'Previous',
  'lesson.next': 'Next',
  'lesson.stepDone': 'done',
  'lesson.complete': 'Lesson complete — well done!',
  'lesson.checkpoints': 'Checkpoints',
  'lesson.stepCheckpoints': 'Checkpoints in this step',
  'lesson.noCheckpoints': 'This lesson has no checkpoints.',
  'lesson.showHint': 'Show a hint',
  'lesson.showAnotherHint': 'Show another hint',
  'lesson.hint': 'Hint {n}',
  'lesson.showSolution': 'Show the solution',
  'lesson.solutionConfirm': 'Try the hints first. Show the solution anyway?',
  'lesson.solutionConfirmButton': 'Show it',
  'lesson.solution': 'Solution',
  'lesson.divider': 'Resize the lesson text and terminal panes',
  'lesson.doItForMe': 'Do it for me',
  'lesson.doItConfirm': 'This types the solution into the terminals for you. Try the hints first. Do it anyway?',
  'lesson.doItConfirmButton': 'Do it',
  'lesson.doingIt': 'Running the solution: {done} of {total} commands…',
  'lesson.doItStop': 'Stop',
  'lesson.doItDone': 'Ran the {total} commands of the solution. Have a look at the terminals and the checkpoints.',
  'lesson.doItStopped': 'Stopped after {done} of {total} commands.',
  'lesson.doItTimeout': 'Stopped: the host shell did not report that "{command}" finished. Check the terminal.',
  'lesson.doItFailed': 'Stopped at "{command}": {message}',
  'quiz.label': 'Quiz',
  'quiz.choices': 'Answers',
  'quiz.right': 'Right.',
  'quiz.wrong': 'Not quite.',
  'quiz.tryAgain': 'Try another answer.',
  'quiz.answered': 'Answered correctly',
  'quiz.checking': 'Checking…',
  'quiz.failed': 'Your answer could not be checked: {message}',
  'coach.heading': 'Coaching hints',
  'coach.label': 'Coach',
  'coach.after': 'After: {command}',
  'coach.dismiss': 'Dismiss this hint',
  'checkpoint.passed': 'Passed',
  'checkpoint.failed': 'Not yet',
  'checkpoint.pending': 'Waiting',
  'checkpoint.justPassed': 'Checkpoint passed: {title}',
  'code.run': 'Run in terminal',
  'code.runIn': 'Run in {name}',
  'code.runInDockerHost': 'Run in the Docker host view',
  'code.copy': 'Copy',
  'code.copied': 'Copied',
  'terminal.tabs': 'Terminals',
  'terminal.host': 'Host shell',
  'terminal.dockerHost': 'Docker host view',
  'terminal.openDockerHost': 'Docker host',
  'terminal.openDockerHostTitle': "Open a shell in the Docker host's network: docker0, the veth interfaces, bridges",
  'terminal.close': 'Close {name}',
  'terminal.openIn': 'Open a shell in…',
  'terminal.containerName': 'Container name',
  'terminal.openButton': 'Open',
  'terminal.invalidName': 'Not a valid container name.',
  'terminal.exited': 'Process exited (code {code})',
  'terminal.exitedSignal': 'Process exited (signal {signal})',
  'terminal.restart': 'Restart',
  'terminal.openFailed': 'Could not open the shell: {message}',
  'terminal.newSession': 'new session',
  'reset.summary': 'Removed {containers}, {networks}',
  'reset.nothing': 'Nothing to remove — the lab was already clean.',
  'reset.failedItem': 'Could not remove {name}: {message}',
} as const;

export type MessageKey = keyof typeof en;
type Dictionary = Record<MessageKey, string>;

const zhCN: Dictionary = {
  'app.title': 'NetLab',
  'app.language': '语言',
  'banner.disconnected': '与实验服务器的连接已断开——请刷新页面',
  'banner.connecting': '正在连接实验服务器…',
  'banner.engine': '无法连接 Docker 引擎——{message}',
  'banner.engineDefault': 'Docker 是否正在运行？',
  'common.loading': '加载中…',
  'common.retry': '重试',
  'common.cancel': '取消',
  'common.error': '出错了：{message}',
  'home.heading': '课程',
  'home.intro': '边做边学 Docker 容器网络：阅读步骤，运行命令，看着检查点变绿。',
  'home.progress': '{passed}/{total} 个检查点',
  'home.steps': '{count} 个步骤',
  'home.open': '打开课程',
  'home.empty': '没有找到课程。',
  'home.extra': '附加课程',
  'home.problems': '课程文件中发现的问题',
  'home.problemsHelp': '这些课程未能完整加载。请修正文件后重新启动 NetLab。',
  'home.progressWarning': '无法读取已保存的进度：{message}',
  'preflight.heading': 'Docker',
  'preflight.checking': '正在检查 Docker 引擎…',
  'preflight.ok': 'Docker 引擎 {version} 可用（{endpoint}）',
  'preflight.desktop': 'Docker Desktop',
  'preflight.unreachable': '无法连接 Docker 引擎（{endpoint}）。',
  'preflight.recheck': '重新检查',
  'preflight.images': '实验镜像',
  'preflight.present': '已就绪',
  'preflight.missing': '缺失',
  'preflight.pull': '拉取',
  'preflight.pullImage': '拉取 {image}',
  'preflight.pulling': '正在拉取…',
  'preflight.pullFailed': '拉取失败：{message}',
  'preflight.desktopNote': 'Docker Desktop 把引擎运行在一台小型虚拟机里：docker0 和 veth 网卡都在虚拟机中，而不在这台电脑上。在课程里打开“Docker 主机视图”就能看到它们。',
  'pack.importLabel': '没有网络？导入镜像包：',
  'pack.path': '镜像包文件的路径',
  'pack.pathPlaceholder': '/path/to/netlab-images.tar',
  'pack.import': '导入镜像包…',
  'pack.importing': '正在导入…',
  'pack.phaseVerify': '正在校验文件',
  'pack.phaseLoad': '正在载入镜像',
  'pack.imported': '已从 {file} 导入 {images}（{size}）。',
  'pack.importFailed': '导入失败：{message}',
  'pack.needPath': '请先填写镜像包文件的路径。',
  'pack.export': '导出镜像包',
  'pack.exporting': '正在导出…',
  'pack.exported': '已将 {images}（{size}）写入 {file}。',
  'pack.exportFailed': '导出失败：{message}',
  'pack.exportPath': '镜像包的保存位置',
  'workshop.heading': '工作坊工具',
  'workshop.exportHelp': '把课程所需的镜像保存成一个文件，再到没有网络的电脑上导入。',
  'lesson.back': '全部课程',
  'lesson.backLabel': '返回课程列表',
  'lesson.reset': '重置实验',
  'lesson.resetConfirm': '删除本实验创建的所有内容？',
  'lesson.resetConfirmButton': '确定重置',
  'lesson.resetting': '正在重置…',
  'lesson.resetFailed': '重置失败：{message}',
  'lesson.labFailed': '无法打开实验环境：{message}',
  'lesson.loadFailed': '无法加载课程：{message}',
  'lesson.intro': '简介',
  'lesson.steps': '步骤',
  'lesson.stepOf': '第 {current} 步，共 {total} 步',
  'lesson.prev': '上一步',
  'lesson.next': '下一步',
  'lesson.stepDone': '已完成',
  'lesson.complete': '课程已完成——做得好！',
  'lesson.checkpoints': '检查点',
  'lesson.stepCheckpoints': '本步骤的检查点',
  'lesson.noCheckpoints': '本课程没有检查点。',
  'lesson.showHint': '显示提示',
  'lesson.showAnotherHint': '再显示一条提示',
  'lesson.hint': '提示 {n}',
  'lesson.showSolution': '显示答案',
  'lesson.solutionConfirm': '建议先看提示。仍然显示答案？',
  'lesson.solutionConfirmButton': '显示',
  'lesson.solution': '答案',
  'lesson.divider': '调整课程文本与终端区域的宽度',
  'lesson.doItForMe': '帮我完成',
  'lesson.doItConfirm': '这会替你把答案输入到终端里。建议先看提示。仍然继续？',
  'lesson.doItConfirmButton': '执行',
  'lesson.doingIt': '正在执行答案：第 {done} 条，共 {total} 条命令…',
  'lesson.doItStop': '停止',
  'lesson.doItDone': '答案中的 {total} 条命令已执行完毕。看看终端和检查点吧。',
  'lesson.doItStopped': '已停止：执行了 {done} 条，共 {total} 条命令。',
  'lesson.doItTimeout': '已停止：主机终端没有报告“{command}”执行结束。请查看终端。',
  'lesson.doItFailed': '在“{command}”处停止：{message}',
  'quiz.label': '小测验',
  'quiz.choices': '选项',
  'quiz.right': '答对了。',
  'quiz.wrong': '不太对。',
  'quiz.tryAgain': '再选一次吧。',
  'quiz.answered': '已答对',
  'quiz.checking': '正在核对…',
  'quiz.failed': '无法核对你的答案：{message}',
  'coach.heading': '即时提示',
  'coach.label': '提示',
  'coach.after': '来自命令：{command}',
  'coach.dismiss': '关闭这条提示',
  'checkpoint.passed': '已通过',
  'checkpoint.failed': '尚未通过',
  'checkpoint.pending': '等待中',
  'checkpoint.justPassed': '检查点已通过：{title}',
  'code.run': '在终端中运行',
  'code.runIn': '在 {name} 中运行',
  'code.runInDockerHost': '在 Docker 主机视图中运行',
  'code.copy': '复制',
  'code.copied': '已复制',
  'terminal.tabs': '终端',
  'terminal.host': '主机终端',
  'terminal.dockerHost': 'Docker 主机视图',
  'terminal.openDockerHost': 'Docker 主机',
  'terminal.openDockerHostTitle': '在 Docker 主机的网络中打开终端：docker0、veth 网卡、网桥',
  'terminal.close': '关闭 {name}',
  'terminal.openIn': '在容器中打开终端…',
  'terminal.containerName': '容器名称',
  'terminal.openButton': '打开',
  'terminal.invalidName': '不是有效的容器名称。',
  'terminal.exited': '进程已退出（退出码 {code}）',
  'terminal.exitedSignal': '进程已退出（信号 {signal}）',
  'terminal.restart': '重新启动',
  'terminal.openFailed': '无法打开终端：{message}',
  'terminal.newSession': '新会话',
  'reset.summary': '已删除 {containers}、{networks}',
  'reset.nothing': '没有需要删除的内容——实验环境本来就是干净的。',
  'reset.failedItem': '无法删除 {name}：{message}',
};

export const dictionaries: Record<Locale, Dictionary> = { en, 'zh-CN': zhCN };

export type MessageParams = Record<string, string | number>;

/** Looks a key up and fills `{name}` placeholders; unknown placeholders stay visible. */
export function translate(locale: Locale, key: MessageKey, params?: MessageParams): string {
  const template = dictionaries[locale][key] ?? en[key];
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

export function isLocale(value: unknown): value is Locale {
  return value === 'en' || value === 'zh-CN';
}

/** A saved choice wins; otherwise the first browser language decides (zh* → zh-CN). */
export function pickLocale(stored: string | null | undefined, languages: readonly string[]): Locale {
  if (isLocale(stored)) return stored;
  const first = languages[0];
  return first && first.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

/** Lesson text in the chosen locale, falling back to English when a translation is empty. */
export function localize(text: Localized | undefined, locale: Locale): string {
  if (!text) return '';
  return text[locale] || text.en || '';
}

function countPhrase(locale: Locale, n: number, one: string, many: string, zhNoun: string): string {
  if (locale === 'zh-CN') return `${n} 个${zhNoun}`;
  return `${n} ${n === 1 ? one : many}`;
}

/** "Removed 4 containers, 1 network" plus a line per item Docker refused to remove. */
export function formatResetSummary(locale: Locale, result: ResetResult): string[] {
  const lines: string[] = [];
  const containers = result.removedContainers.length;
  const networks = result.removedNetworks.length;
  if (containers === 0 && networks === 0 && result.failed.length === 0) {
    lines.push(translate(locale, 'reset.nothing'));
  } else if (containers > 0 || networks > 0) {
    lines.push(
      translate(locale, 'reset.summary', {
        containers: countPhrase(locale, containers, 'container', 'containers', '容器'),
        networks: countPhrase(locale, networks, 'network', 'networks', '网络'),
      }),
    );
  }
  for (const failure of result.failed) {
    lines.push(translate(locale, 'reset.failedItem', { name: failure.name, message: failure.message }));
  }
  return lines;
}

/** Bytes in a human unit: 0 B, 512 B, 1.5 KB, 23 MB, 1.2 GB (powers of 1000, as Docker prints them). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '?';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  return `${value.toFixed(digits)} ${units[unit]}`;
}

/** "Imported 2 images from /x.tar (12 MB)." / "Wrote 2 images (12 MB) to /x.tar." */
export function formatPackResult(locale: Locale, action: 'import' | 'export', result: ImagePackResult): string {
  const images = countPhrase(locale, result.images.length, 'image', 'images', '镜像');
  const params = { images, file: result.file, size: formatBytes(result.bytes) };
  return translate(locale, action === 'import' ? 'pack.imported' : 'pack.exported', params);
}

/** An image-pack progress phase in words; unknown phases pass through as the main side wrote them. */
export function packPhase(locale: Locale, status: string): string {
  if (status === 'verify') return translate(locale, 'pack.phaseVerify');
  if (status === 'load') return translate(locale, 'pack.phaseLoad');
  return status;
}
