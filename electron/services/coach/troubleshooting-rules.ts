// The coach's engine rules for lesson 15 (troubleshooting), on the network
// modes of lessons 4 and 5 that its challenges put to work: `docker network
// connect` refused for a container on none (it has to leave none first), and
// for a container that shares another's network stack (container:X) or the
// host's (it has no network of its own to add one to). Docker words them
// (runconfig, the same since 1.x; older engines start with a capital C):
//   "container cannot be connected to multiple networks with one of the networks in private (none) mode"
//   "container sharing network namespace with another container or host cannot be connected to any other network"
// The lesson's other mistakes are explained by the general rules: a name on
// the default bridge or across networks (rules.ts: dns-on-default-bridge,
// ping-no-shared-network, for ping, wget, curl and nslookup), and a restart of
// the sidecar while its partner is stopped (engine-rules.ts:
// join-target-not-running). They explain; they never decide a checkpoint.
import type { ContainerNode, Localized } from '../../api/types';
import type { EngineRule, EngineRuleContext } from './engine-rules';
import { code, join } from './explain';
import { findContainer, findNetwork, isOn } from './topology-view';

const ON_NONE = /cannot be connected to multiple networks with one of the networks in private \(none\) mode/i;
const SHARED_STACK = /sharing network namespace with another container or host cannot be connected to any other network/i;

/** The two sides of a refused `docker network connect NETWORK CONTAINER`: the container (its body) and the network (its path). */
function connectParties(ctx: EngineRuleContext): { container: string; node?: ContainerNode; network: string } | undefined {
  const { record } = ctx;
  if (record.op !== 'network.connect') return undefined;
  const ref = (record.body as { Container?: unknown } | undefined)?.Container;
  if (typeof ref !== 'string' || ref === '') return undefined;
  const node = findContainer(ctx.topology, ref);
  const target = record.target ?? '';
  const network = findNetwork(ctx.topology, target)?.name ?? (target || 'NETWORK');
  return node ? { container: node.name, node, network } : { container: ref, network };
}

/** Whose stack a container in container: mode shares (its name when the model knows it). */
function joinedTo(node: ContainerNode | undefined): string | undefined {
  if (!node) return undefined;
  if (node.joinedTo) return node.joinedTo;
  return node.networkMode.startsWith('container:') ? node.networkMode.slice('container:'.length) : undefined;
}

export const TROUBLESHOOTING_ENGINE_RULES: readonly EngineRule[] = [
  {
    id: 'connect-while-on-none',
    check(ctx) {
      if (!ON_NONE.test(ctx.error)) return undefined;
      const parties = connectParties(ctx);
      // Adding none to a container on another network is refused with the same words: another mistake.
      if (!parties || parties.network === 'none') return undefined;
      const { container: c, network: net } = parties;
      return {
        subject: `${c} ${net}`,
        message: {
          en: `${c} is attached to none, the network that means "no network" (--network none), and Docker adds no other network to a container while it is on none. Leave none first, then connect: ${code(`docker network disconnect none ${c}`)}, then ${code(`docker network connect ${net} ${c}`)}. (Or remove ${c} and run it again with ${code(`--network ${net}`)}.)`,
          'zh-CN': `${c} 挂在 none 网络上，也就是“没有网络”的模式（--network none）；容器还在 none 上时，Docker 不会再给它添加别的网络。先离开 none，再连接：${code(`docker network disconnect none ${c}`)}，然后 ${code(`docker network connect ${net} ${c}`)}。（也可以删除 ${c}，再用 ${code(`--network ${net}`)} 重新运行它。）`,
        },
      };
    },
  },
  {
    id: 'connect-shared-stack',
    check(ctx) {
      if (!SHARED_STACK.test(ctx.error)) return undefined;
      const parties = connectParties(ctx);
      if (!parties) return undefined;
      const { container: c, node, network: net } = parties;
      const owner = joinedTo(node);
      if (owner) {
        const ownerNode = findContainer(ctx.topology, owner);
        const cause: Localized = {
          en: `${c} shares the network stack of ${owner} (--network container:${owner}): it has no network of its own, so Docker cannot connect it to ${net}.`,
          'zh-CN': `${c} 共享 ${owner} 的网络栈（--network container:${owner}）：它没有属于自己的网络，所以 Docker 无法把它接入 ${net}。`,
        };
        const instead: Localized =
          ownerNode && isOn(ownerNode, net)
            ? {
                en: ` ${owner} is already on ${net}, and whatever ${owner}'s stack has, ${c} has too.`,
                'zh-CN': `${owner} 本来就在 ${net} 上，${owner} 的网络栈里有什么，${c} 就有什么。`,
              }
            : {
                en: ` Connect ${owner} instead (${code(`docker network connect ${net} ${owner}`)}): the new interface appears in the stack both share, and ${c} sees it too.`,
                'zh-CN': `改为连接 ${owner}（${code(`docker network connect ${net} ${owner}`)}）：新网卡会出现在两者共享的网络栈里，${c} 也能看到。`,
              };
        const text = join(cause, instead);
        // A stopped partner: the sidecar holds an old, empty stack that no connect reaches.
        const stopped: Localized | undefined =
          ownerNode && ownerNode.state !== 'running'
            ? {
                en: ` But ${owner} is not running (state: ${ownerNode.state}), and ${c} is left in its old, empty stack: start ${owner} (${code(`docker start ${owner}`)}), then restart ${c} (${code(`docker restart ${c}`)}) so that it joins the new one.`,
                'zh-CN': `不过 ${owner} 没有在运行（状态：${ownerNode.state}），${c} 还留在旧的、空的网络栈里：先启动 ${owner}（${code(`docker start ${owner}`)}），再重启 ${c}（${code(`docker restart ${c}`)}），让它加入新的网络栈。`,
              }
            : undefined;
        return { subject: `${c} ${net}`, message: join(text, stopped) };
      }
      if (node && (node.networkMode === 'host' || isOn(node, 'host'))) {
        return {
          subject: `${c} ${net}`,
          message: {
            en: `${c} runs on the host's network stack (--network host): it has no network of its own, so Docker cannot connect it to ${net}. To put it on ${net}, remove it and run it again with ${code(`--network ${net}`)}.`,
            'zh-CN': `${c} 直接使用宿主机的网络栈（--network host）：它没有属于自己的网络，所以 Docker 无法把它接入 ${net}。想让它接入 ${net}，就删除它，再用 ${code(`--network ${net}`)} 重新运行。`,
          },
        };
      }
      return {
        subject: `${c} ${net}`,
        message: {
          en: `${c} shares another container's network stack or the host's (--network container:… or host), and such a container cannot be connected to any other network. ${code(`docker inspect -f '{{.HostConfig.NetworkMode}}' ${c}`)} shows whose; connect that container instead, or run ${c} again with ${code(`--network ${net}`)}.`,
          'zh-CN': `${c} 共享着另一个容器或宿主机的网络栈（--network container:… 或 host），这样的容器不能再接入任何别的网络。用 ${code(`docker inspect -f '{{.HostConfig.NetworkMode}}' ${c}`)} 查看它共享的是谁的；改为连接那个容器，或者用 ${code(`--network ${net}`)} 重新运行 ${c}。`,
        },
      };
    },
  },
];
