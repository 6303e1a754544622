// NetLab never runs without Chromium's sandbox. On Ubuntu 24.04 and later,
// AppArmor keeps unprivileged programs from the user namespaces the sandbox
// needs. A deb brings an AppArmor profile for its binary (build/linux/), but an
// AppImage runs from a new mount each time and cannot. Where user namespaces
// fail, electron-builder's AppRun starts Chromium with --no-sandbox (older
// AppRuns let Chromium abort: a silent exit from a launcher). Either way the
// first code of ours that runs is the main process, before any window: it
// sees the switch, says why and what to do, and quits. Plain data here (no
// electron import), so the decision is tested with any facts.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Locale } from '../api/types';

export interface SandboxFacts {
  platform: NodeJS.Platform;
  packaged: boolean;
  /** Chromium was told to run without its sandbox (--no-sandbox). */
  noSandbox: boolean;
  /** The AppImage file this run came from (the AppImage runtime sets APPIMAGE). */
  appImage?: string | undefined;
  /** /proc/sys/kernel/apparmor_restrict_unprivileged_userns: '1' where AppArmor restricts user namespaces. */
  apparmorRestrictsUserns?: string | undefined;
}

export type SandboxVerdict =
  | { action: 'run' }
  /** A development run started without the sandbox: said on the console, not refused. */
  | { action: 'warn'; message: string }
  | { action: 'refuse'; reason: 'appimage-apparmor' | 'appimage-no-userns' | 'no-sandbox-switch'; title: string; message: string };

function readTrimmed(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** The facts of this run; `proc` is where /proc is (tests: a fake tree). */
export function readSandboxFacts(
  run: { noSandbox: boolean; packaged: boolean },
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  proc = '/proc',
): SandboxFacts {
  return {
    platform,
    packaged: run.packaged,
    noSandbox: run.noSandbox,
    appImage: platform === 'linux' ? env.APPIMAGE || undefined : undefined,
    apparmorRestrictsUserns: platform === 'linux' ? readTrimmed(path.posix.join(proc, 'sys', 'kernel', 'apparmor_restrict_unprivileged_userns')) : undefined,
  };
}

/**
 * An AppArmor profile's attachment for exactly this file: quoted, with the
 * characters AppArmor reads as patterns escaped. Undefined for a path no
 * profile line can hold.
 */
export function apparmorPath(file: string): string | undefined {
  if (!file.startsWith('/') || /[\0\n\r]/.test(file)) return undefined;
  return `"${file.replace(/[\\"*?[\]{}^@]/g, (c) => `\\${c}`)}"`;
}

/** Shell commands that give this one AppImage file the user namespaces its sandbox needs. */
export function appImageProfileCommands(appImage: string): string | undefined {
  const attach = apparmorPath(appImage);
  if (!attach) return undefined;
  return [
    "sudo tee /etc/apparmor.d/netlab-appimage > /dev/null <<'EOF'",
    'abi <abi/4.0>,',
    'include <tunables/global>',
    `profile netlab-appimage ${attach} flags=(unconfined) {`,
    '  userns,',
    '}',
    'EOF',
    'sudo apparmor_parser -r /etc/apparmor.d/netlab-appimage',
  ].join('\n');
}

const TEXT = {
  en: {
    title: 'NetLab cannot start its sandbox',
    apparmor: (commands: string | undefined): string =>
      [
        "Ubuntu's AppArmor keeps this AppImage from the user namespaces that Chromium's sandbox needs, and NetLab never runs without its sandbox.",
        'Install NetLab from the .deb package instead: it brings the AppArmor profile the sandbox needs.',
        ...(commands ? ['Or, with administrator rights, allow this AppImage file (after moving it, run this again for its new place):', '', commands] : []),
      ].join('\n'),
    noUserns:
      "This AppImage's launcher turned Chromium's sandbox off: it found no user namespaces here (`unshare -Ur true` failed), or --no-sandbox was given. NetLab never runs without its sandbox. Install NetLab from the .deb package (its sandbox helper works without user namespaces), or make `unshare -Ur true` work: install util-linux, and enable unprivileged user namespaces (kernel.unprivileged_userns_clone=1 where that setting exists, user.max_user_namespaces above 0).",
    switch:
      "NetLab was started with --no-sandbox. It never runs without Chromium's sandbox: start it without that switch (check the launcher or desktop entry that adds it).",
    dev: 'NetLab is running without Chromium\'s sandbox (--no-sandbox). A packaged NetLab refuses to start this way.',
  },
  'zh-CN': {
    title: 'NetLab 无法启动沙箱',
    apparmor: (commands: string | undefined): string =>
      [
        'Ubuntu 的 AppArmor 不允许这个 AppImage 使用 Chromium 沙箱所需的用户命名空间，而 NetLab 从不在没有沙箱的情况下运行。',
        '请改用 .deb 安装包安装 NetLab：它会带上沙箱所需的 AppArmor 配置。',
        ...(commands ? ['或者，用管理员权限允许这个 AppImage 文件（移动文件后，需要针对新位置重新运行）：', '', commands] : []),
      ].join('\n'),
    noUserns:
      '这个 AppImage 的启动脚本关闭了 Chromium 沙箱：它在这里找不到用户命名空间（`unshare -Ur true` 失败），或者启动时带了 --no-sandbox。NetLab 从不在没有沙箱的情况下运行。请改用 .deb 安装包安装 NetLab（它的沙箱辅助程序不需要用户命名空间），或让 `unshare -Ur true` 能够运行：安装 util-linux，并启用非特权用户命名空间（如有 kernel.unprivileged_userns_clone 则设为 1，user.max_user_namespaces 大于 0）。',
    switch: 'NetLab 是带着 --no-sandbox 参数启动的。NetLab 从不在没有 Chromium 沙箱的情况下运行：请去掉这个参数再启动（检查添加它的启动器或桌面快捷方式）。',
    dev: 'NetLab 正在没有 Chromium 沙箱的情况下运行（--no-sandbox）。打包后的 NetLab 会拒绝这样启动。',
  },
} satisfies Record<Locale, unknown>;

export function sandboxVerdict(facts: SandboxFacts, locale: Locale = 'en'): SandboxVerdict {
  if (!facts.noSandbox) return { action: 'run' };
  const text = TEXT[locale];
  if (!facts.packaged) return { action: 'warn', message: text.dev };
  if (facts.platform === 'linux' && facts.appImage) {
    if (facts.apparmorRestrictsUserns === '1') {
      return { action: 'refuse', reason: 'appimage-apparmor', title: text.title, message: text.apparmor(appImageProfileCommands(facts.appImage)) };
    }
    return { action: 'refuse', reason: 'appimage-no-userns', title: text.title, message: text.noUserns };
  }
  return { action: 'refuse', reason: 'no-sandbox-switch', title: text.title, message: text.switch };
}
