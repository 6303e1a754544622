// Why a checkpoint is not passed yet, in words a learner understands, in both
// languages. Each reason names the object and what differs from the goal.
import type { Localized } from '../../api/types';

const l = (en: string, zh: string): Localized => ({ en, 'zh-CN': zh });

export const reasons = {
  networkMissing: (n: string) => l(`Network ${n} does not exist yet.`, `网络 ${n} 还不存在。`),
  networkStillThere: (n: string) => l(`Network ${n} still exists.`, `网络 ${n} 仍然存在。`),
  networkDriver: (n: string, actual: string, want: string) =>
    l(`Network ${n} uses the ${actual} driver, not ${want}.`, `网络 ${n} 使用的是 ${actual} 驱动,而不是 ${want}。`),
  containerMissing: (c: string) => l(`There is no container named ${c} yet.`, `还没有名为 ${c} 的容器。`),
  containerStillThere: (c: string) => l(`Container ${c} still exists.`, `容器 ${c} 仍然存在。`),
  image: (c: string, actual: string, want: string) =>
    l(`${c} runs image ${actual}, not ${want}.`, `${c} 使用的镜像是 ${actual},而不是 ${want}。`),
  notRunning: (c: string, state: string) => l(`${c} is ${state}, not running.`, `${c} 当前状态为 ${state},没有在运行。`),
  notStopped: (c: string) => l(`${c} is still running.`, `${c} 仍在运行。`),
  networkMode: (c: string, actual: string, want: string) =>
    l(`${c} uses network mode ${actual}, not ${want}.`, `${c} 的网络模式是 ${actual},而不是 ${want}。`),
  notOnNetwork: (c: string, actual: string[], want: string) =>
    l(
      `${c} is on network ${actual.length ? actual.join(', ') : '(none)'}, not ${want}.`,
      `${c} 连接在 ${actual.length ? actual.join('、') : '(无网络)'} 上,而不是 ${want}。`,
    ),
  stillOnNetwork: (c: string, n: string) => l(`${c} is still attached to ${n}.`, `${c} 仍然连接在 ${n} 上。`),
  noAddress: (c: string, n: string) => l(`${c} has no address on ${n}.`, `${c} 在 ${n} 上没有 IP 地址。`),
  noAddress6: (c: string, n: string) =>
    l(`${c} has no IPv6 address on ${n} (was ${n} created with --ipv6?).`, `${c} 在 ${n} 上没有 IPv6 地址（${n} 创建时加了 --ipv6 吗？）。`),
  networkInternal: (n: string, want: boolean) =>
    want
      ? l(`Network ${n} is not internal: create it with --internal.`, `网络 ${n} 不是内部网络：创建时要加 --internal。`)
      : l(`Network ${n} is internal, but this step needs a network with a way out.`, `网络 ${n} 是内部网络，而这一步需要一个能通向外部的网络。`),
  networkIpv6: (n: string, want: boolean) =>
    want
      ? l(`Network ${n} has no IPv6: create it with --ipv6 and an IPv6 --subnet.`, `网络 ${n} 没有启用 IPv6：创建时要加 --ipv6 和一个 IPv6 的 --subnet。`)
      : l(`Network ${n} has IPv6 on, but this step needs an IPv4-only network.`, `网络 ${n} 启用了 IPv6，而这一步需要一个只有 IPv4 的网络。`),
  probeExit: (c: string, cmd: string, actual: number, want: number) =>
    want === 0
      ? l(`In ${c}, \`${cmd}\` does not succeed yet (exit code ${actual}).`, `在 ${c} 中执行 \`${cmd}\` 还没有成功(退出码 ${actual})。`)
      : l(`In ${c}, \`${cmd}\` succeeds, but this step expects it to fail.`, `在 ${c} 中执行 \`${cmd}\` 成功了,但这一步期望它失败。`),
  probeOutput: (c: string, cmd: string) =>
    l(`In ${c}, \`${cmd}\` does not print what this step expects.`, `在 ${c} 中执行 \`${cmd}\` 的输出与预期不符。`),
  probeTimeout: (c: string, cmd: string) =>
    l(`In ${c}, \`${cmd}\` did not answer in time.`, `在 ${c} 中执行 \`${cmd}\` 超时未返回。`),
  probeError: (c: string, message: string) => l(`Could not check inside ${c}: ${message}`, `无法在 ${c} 内检查:${message}`),
  probeNotLabs: (c: string) =>
    l(
      `${c} was not created in this lab, so NetLab does not run checks inside it. Create it from the lesson, or choose to use your own ${c} when the lesson offers it.`,
      `${c} 不是在本实验中创建的，NetLab 不会在其中运行检查。请按课程创建它，或在课程提示时选择使用你自己的 ${c}。`,
    ),
  probeNeedsConsent: () =>
    l(
      'This lesson comes from outside the built-in course: its checks run inside your containers only after you allow it.',
      '这门课程来自内置课程之外：只有在你允许之后，它的检查才会在你的容器中运行。',
    ),
  probeNotReadOnly: (message: string) => l(`This check is not read-only, so it does not run: ${message}`, `这项检查不是只读的，因此不会运行：${message}`),
  noEngineCall: () =>
    l('The Docker command for this exercise has not been run in a host terminal yet.', '还没有在主机终端中运行这个练习的 Docker 命令。'),
  engineRefused: (op: string, message?: string) =>
    message
      ? l(`Docker refused the ${op} call: ${message}`, `Docker 拒绝了 ${op} 调用：${message}`)
      : l(`The ${op} call did not turn out as this step expects.`, `${op} 调用的结果与这一步的预期不符。`),
  noCommand: () =>
    l('The command for this exercise has not been run in the host terminal yet.', '还没有在主机终端中运行这个练习的命令。'),
  commandExit: (code: number, want: number) =>
    want === 0
      ? l(`The command ran but failed (exit code ${code}).`, `命令运行了,但失败了(退出码 ${code})。`)
      : l(`The command ran with exit code ${code}; this step expects ${want}.`, `命令的退出码是 ${code},这一步期望 ${want}。`),
  noOutput: (t: string) => l(`The expected output has not appeared in the ${t} terminal yet.`, `${t} 终端中还没有出现预期的输出。`),
  quizOpen: () => l('Not answered correctly yet.', '还没有答对。'),
  engineDown: () => l('Paused: the Docker engine is not reachable.', '已暂停:无法连接 Docker 引擎。'),
};
