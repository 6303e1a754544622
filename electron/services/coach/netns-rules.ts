// The coach's rules for lesson 13 (network namespaces by hand): `ip netns add`
// that fails in a container (busybox's ip has no netns; iproute2's needs
// SYS_ADMIN and, under AppArmor, a profile that allows the mount), and
// `ip netns` typed in the host shell instead of the lab container.
import type { Localized } from '../../api/types';
import { code } from './explain';
import type { Rule, RuleContext } from './rules';
import { findContainer } from './topology-view';

const failed = (ctx: RuleContext): boolean => ctx.exitCode !== undefined && ctx.exitCode !== 0;

/** Whether the words are `ip [options] netns add …` (add may be shortened). */
function isNetnsAdd(words: readonly string[]): boolean {
  let i = words[0] === 'ip' || /\/ip$/.test(words[0] ?? '') ? 1 : -1;
  if (i < 0) return false;
  while ((words[i] ?? '').startsWith('-')) i++;
  return words[i] === 'netns' && ['add', 'ad', 'a'].includes(words[i + 1] ?? '');
}

/** The lesson's running container that has iproute2 (the netshoot image), to point the learner at. */
function labContainer(ctx: RuleContext): string | undefined {
  return ctx.input.lesson?.containers.find((name) => {
    const node = findContainer(ctx.topology, name);
    return node?.state === 'running' && /netshoot/.test(node.image);
  });
}

function netnsAddFailedIn(name: string, image: string): Localized {
  if (/(^|\/)busybox(:|$)/.test(image)) {
    return {
      en: `${name} runs busybox, whose small ip has no netns. Start the lab container from ${code('nicolaka/netshoot')}, which has iproute2's ip: remove ${name} with ${code(`docker rm -f ${name}`)} and run it again as the lesson shows.`,
      'zh-CN': `${name} 用的是 busybox 镜像，它精简的 ip 没有 netns。请用带有 iproute2 完整版 ip 的 ${code('nicolaka/netshoot')} 启动实验容器：先用 ${code(`docker rm -f ${name}`)} 删掉 ${name}，再按课程中的命令重新启动。`,
    };
  }
  return {
    en: `ip netns add creates a namespace and mounts it under /run/netns, which takes SYS_ADMIN as well as NET_ADMIN, and on a machine with AppArmor ${code('--security-opt apparmor=unconfined')}. "mount --make-shared /run/netns failed" means ${name} lacks them. If the lesson started ${name}, reset the lab and it starts again as shown; otherwise ${code(`docker rm -f ${name}`)} and run it again with those options (not --privileged).`,
    'zh-CN': `ip netns add 要新建命名空间并把它挂载到 /run/netns 下，除了 NET_ADMIN 还需要 SYS_ADMIN；在启用了 AppArmor 的机器上还要加 ${code('--security-opt apparmor=unconfined')}。看到 “mount --make-shared /run/netns failed”，说明 ${name} 缺少这些。如果 ${name} 是课程启动的，重置实验即可让它按原样重新启动；否则先执行 ${code(`docker rm -f ${name}`)}，再带上这些选项重新运行它（不要用 --privileged）。`,
  };
}

export const NETNS_RULES: readonly Rule[] = [
  {
    id: 'netns-add-failed-in-container',
    check(ctx) {
      const docker = ctx.docker;
      if (docker?.action !== 'exec' || !failed(ctx)) return undefined;
      const [name, ...command] = docker.args;
      const node = name ? findContainer(ctx.topology, name) : undefined;
      if (!node || node.state !== 'running' || !isNetnsAdd(command)) return undefined;
      return netnsAddFailedIn(node.name, node.image);
    },
  },
  {
    id: 'netns-in-host-shell',
    check(ctx) {
      if (ctx.docker || !failed(ctx) || !isNetnsAdd(ctx.words)) return undefined;
      const lab = labContainer(ctx);
      if (!lab) return undefined;
      const typed = ctx.words.join(' ');
      return {
        en: `That ran in your own machine's shell, where it needs root and would change your network. In this lesson the namespaces live in ${lab}: ${code(`docker exec ${lab} ${typed}`)}.`,
        'zh-CN': `这条命令是在你自己机器的 shell 里执行的，在那里它需要 root 权限，还会改动你的网络。本课的命名空间都建在 ${lab} 里：${code(`docker exec ${lab} ${typed}`)}。`,
      };
    },
  },
];
