// The coach's explanations of mistakes that both of its sources see: a
// finished command (rules.ts) and a Docker API call the lab relay recorded
// (engine-rules.ts). One wording per mistake, whichever source noticed it, so
// the learner reads the same advice in any shell. Pure: names and model nodes
// in, text in both languages out.
import type { ContainerNode, Localized } from '../../api/types';

/** Images whose default command is a shell that exits when stdin is closed. */
export const SHELL_IMAGES = /^(?:[\w.-]+\/)*(busybox|alpine|ubuntu|debian)(?::[\w.-]+)?(?:@.*)?$/;

export const code = (s: string): string => `\`${s}\``;

export function join(a: Localized, b: Localized | undefined): Localized {
  return b ? { en: a.en + b.en, 'zh-CN': a['zh-CN'] + b['zh-CN'] } : a;
}

/** A container that exists but does not run, asked to run a command (`docker exec`). */
export function execInStopped(node: Pick<ContainerNode, 'name' | 'state' | 'image'>): Localized {
  if (node.state === 'paused') {
    return {
      en: `${node.name} is paused, and ${code('docker exec')} cannot run anything in a paused container. Resume it with ${code(`docker unpause ${node.name}`)}, then run your command again.`,
      'zh-CN': `${node.name} 处于暂停状态，${code('docker exec')} 无法在暂停的容器里执行命令。先用 ${code(`docker unpause ${node.name}`)} 恢复它，再重新运行刚才的命令。`,
    };
  }
  const base: Localized = {
    en: `${node.name} exists but is not running (state: ${node.state}), and ${code('docker exec')} only works in a running container. Start it with ${code(`docker start ${node.name}`)}, then run your command again.`,
    'zh-CN': `${node.name} 存在，但没有在运行（状态：${node.state}），而 ${code('docker exec')} 只能在运行中的容器里执行。先用 ${code(`docker start ${node.name}`)} 启动它，再重新运行刚才的命令。`,
  };
  const shellImage = SHELL_IMAGES.test(node.image) && node.state === 'exited';
  return join(
    base,
    shellImage
      ? {
          en: ` If it stops again at once, it was created without -i: recreate it with ${code(`docker rm ${node.name}`)} and ${code(`docker run -di --name ${node.name} ${node.image}`)}.`,
          'zh-CN': `如果它启动后又立刻停止，说明创建时没有加 -i：先 ${code(`docker rm ${node.name}`)}，再 ${code(`docker run -di --name ${node.name} ${node.image}`)} 重新创建。`,
        }
      : undefined,
  );
}

/** A failed run/create left its container behind (created, never started). */
export function leftBehind(name: string): Localized {
  return {
    en: ` The failed attempt still left ${name} behind (created, never started): remove it with ${code(`docker rm ${name}`)} before you try again.`,
    'zh-CN': `失败的这次尝试仍留下了容器 ${name}（已创建、未启动）：重试之前先用 ${code(`docker rm ${name}`)} 删除它。`,
  };
}

/** `--net container:TARGET` where TARGET does not run (node) or does not exist. */
export function joinTargetNotRunning(target: string, node: ContainerNode | undefined, near: string | undefined): Localized {
  return node
    ? {
        en: `${node.name} is not running (state: ${node.state}), and a container can only join the network stack of a running one (--net container:${target}). Start it with ${code(`docker start ${node.name}`)}, then try again.`,
        'zh-CN': `${node.name} 没有在运行（状态：${node.state}），而容器只能加入正在运行的容器的网络栈（--net container:${target}）。先用 ${code(`docker start ${node.name}`)} 启动它，再重试。`,
      }
    : {
        en: `--net container:${target} joins the network stack of another container, and there is no container named ${target}${near ? ` (did you mean ${near}?)` : ''}. Create and start it first, then try again.`,
        'zh-CN': `--net container:${target} 会加入另一个容器的网络栈，但没有名为 ${target} 的容器${near ? `（是不是想输入 ${near}？）` : ''}。先创建并启动它，再重试。`,
      };
}

/** A network name that does not exist, with the likely meant one if any. */
export function networkMissing(network: string, near: string | undefined): Localized {
  return near
    ? {
        en: `There is no network named ${network}. Did you mean ${near}? Network names must match exactly (${code('docker network ls')} lists them).`,
        'zh-CN': `没有名为 ${network} 的网络。是不是想输入 ${near}？网络名必须完全一致（用 ${code('docker network ls')} 查看）。`,
      }
    : {
        en: `There is no network named ${network} yet. Create it first with ${code(`docker network create ${network}`)}, then run the command again.`,
        'zh-CN': `还没有名为 ${network} 的网络。先用 ${code(`docker network create ${network}`)} 创建它，再重新运行刚才的命令。`,
      };
}

/** A container name that is taken, by the state of the container holding it (unknown: not in the model yet). */
export function nameInUse(name: string, node: ContainerNode | undefined): Localized {
  if (node?.state === 'running') {
    return {
      en: `The name ${name} is already taken by a running container, perhaps one you made earlier, which you can simply use. To start over, remove it first with ${code(`docker rm -f ${name}`)}, or pick another name.`,
      'zh-CN': `名字 ${name} 已被一个正在运行的容器占用，可能是你之前创建的，直接用它就行。若想重新来过，先用 ${code(`docker rm -f ${name}`)} 删除它，或者换一个名字。`,
    };
  }
  if (node?.state === 'created') {
    return {
      en: `The name ${name} is taken by a container left over from an earlier attempt that failed (created, never started). Remove it with ${code(`docker rm ${name}`)} and run your command again.`,
      'zh-CN': `名字 ${name} 被之前一次失败尝试留下的容器占用（已创建、未启动）。用 ${code(`docker rm ${name}`)} 删除它，再重新运行刚才的命令。`,
    };
  }
  if (node) {
    return {
      en: `The name ${name} is already taken by a container that is not running (state: ${node.state}). Remove it with ${code(`docker rm ${name}`)} and run your command again, or pick another name.`,
      'zh-CN': `名字 ${name} 已被一个未运行的容器占用（状态：${node.state}）。用 ${code(`docker rm ${name}`)} 删除它后重新运行刚才的命令，或者换一个名字。`,
    };
  }
  return {
    en: `The name ${name} is already taken by another container: container names are unique. ${code('docker ps -a')} shows it; remove it with ${code(`docker rm -f ${name}`)} to start over, or pick another name.`,
    'zh-CN': `名字 ${name} 已被另一个容器占用：容器名不能重复。用 ${code('docker ps -a')} 可以看到它；想重新来过就用 ${code(`docker rm -f ${name}`)} 删除它，或者换一个名字。`,
  };
}

export function networkExists(name: string): Localized {
  return {
    en: `A network named ${name} already exists, so there is nothing to create: use it as it is (${code(`docker network inspect ${name}`)} shows it). To start from scratch, remove it first with ${code(`docker network rm ${name}`)}.`,
    'zh-CN': `名为 ${name} 的网络已经存在，无需再创建，直接使用即可（用 ${code(`docker network inspect ${name}`)} 查看）。如果想从头来过，先用 ${code(`docker network rm ${name}`)} 删除它。`,
  };
}

export function builtinNetworkRm(name: string): Localized {
  return {
    en: `${name} is one of Docker's built-in networks (bridge, host, none), which cannot be removed. ${code('docker network rm')} is for networks you created yourself.`,
    'zh-CN': `${name} 是 Docker 的内置网络之一（bridge、host、none），无法删除。${code('docker network rm')} 只用于删除你自己创建的网络。`,
  };
}

/** Removing a network that containers are attached to (`users`: their names, when the model knows them). */
export function networkInUse(network: string, users: readonly string[]): Localized {
  const first = users[0];
  if (!first) {
    return {
      en: `Docker refuses to remove ${network} while containers are attached to it. ${code(`docker network inspect ${network}`)} lists them under Containers: disconnect them (${code(`docker network disconnect ${network} NAME`)}) or remove them, then ${code(`docker network rm ${network}`)}.`,
      'zh-CN': `${network} 上还连着容器，Docker 拒绝删除正在使用的网络。用 ${code(`docker network inspect ${network}`)} 在 Containers 部分查看它们：先断开（${code(`docker network disconnect ${network} 容器名`)}）或删除它们，再执行 ${code(`docker network rm ${network}`)}。`,
    };
  }
  return {
    en: `Docker refuses to remove ${network} while containers are attached to it: ${users.join(', ')}. Disconnect them first (${code(`docker network disconnect ${network} ${first}`)}) or remove them (${code(`docker rm -f ${users.join(' ')}`)}), then ${code(`docker network rm ${network}`)}.`,
    'zh-CN': `${network} 上还连着容器：${users.join('、')}，Docker 拒绝删除正在使用的网络。先断开它们（${code(`docker network disconnect ${network} ${first}`)}）或删除它们（${code(`docker rm -f ${users.join(' ')}`)}），再执行 ${code(`docker network rm ${network}`)}。`,
  };
}

/** `ip`: the container's address on that network, '' when unknown. */
export function alreadyConnected(container: string, network: string, ip: string): Localized {
  return {
    en: `${container} is already connected to ${network}${ip ? ` (address ${ip})` : ''}, so there was nothing to do. ${code(`docker inspect ${container}`)} lists its networks under NetworkSettings.`,
    'zh-CN': `${container} 已经连接在 ${network} 上${ip ? `（地址 ${ip}）` : ''}，无需再连接。${code(`docker inspect ${container}`)} 的 NetworkSettings 部分列出了它所在的网络。`,
  };
}

/** `node`: the container, when the model knows it (its networks are listed then). */
export function notConnected(container: string, network: string, node: ContainerNode | undefined): Localized {
  const on = node?.networks.map((a) => a.network) ?? [];
  const where: Localized = !node
    ? { en: `${code(`docker inspect ${container}`)} lists its networks.`, 'zh-CN': `${code(`docker inspect ${container}`)} 会列出它所在的网络。` }
    : on.length > 0
      ? { en: `It is on: ${on.join(', ')}.`, 'zh-CN': `它所在的网络：${on.join('、')}。` }
      : { en: `It is on no network (mode ${node.networkMode}).`, 'zh-CN': `它不在任何网络上（模式 ${node.networkMode}）。` };
  return {
    en: `${container} is not connected to ${network}, so there is nothing to disconnect. ${where.en}`,
    'zh-CN': `${container} 并没有连接在 ${network} 上，无需断开。${where['zh-CN']}`,
  };
}
