// The coach's rules for isolation and IPv6 (lessons 12 and 14): a flag of
// `docker network create` given to `docker run`, a ping to the address of a
// container on another network, a request out of an --internal network, a
// `ping -6` on a network without IPv6, and the engine's refusals of an IPv6
// network (no pool of its own; a subnet already taken). They explain; they
// never decide a checkpoint.
import type { ContainerNode, Localized, NetworkNode, Topology } from '../../api/types';
import { flagOn, parsePing, requestTarget, type DockerCommand } from './command-line';
import { code } from './explain';
import type { EngineRule } from './engine-rules';
import type { Rule, RuleContext } from './rules';
import { IPV4, findContainer, findNetwork, networksOf, sharedNetworks } from './topology-view';

const BUILTIN = new Set(['bridge', 'host', 'none', 'default']);
/** An example IPv6 subnet from the unique-local range (fd00::/8), the one lesson 14 uses. */
const EXAMPLE_SUBNET6 = 'fd00:c0de:14::/64';

const failed = (ctx: RuleContext): boolean => ctx.exitCode !== undefined && ctx.exitCode !== 0;
const execOf = (ctx: RuleContext): DockerCommand | undefined => (ctx.docker?.action === 'exec' ? ctx.docker : undefined);

/** The container (other than `from`) holding this IPv4 address on some network, with that network. */
function ownerOf(topology: Topology, ip: string, from: ContainerNode): { node: ContainerNode; network: string } | undefined {
  for (const node of topology.containers) {
    if (node.id === from.id) continue;
    const a = node.networks.find((x) => x.ip === ip);
    if (a) return { node, network: a.network };
  }
  return undefined;
}

function networkNodes(topology: Topology, container: ContainerNode): NetworkNode[] {
  return networksOf(container)
    .map((n) => findNetwork(topology, n))
    .filter((n): n is NetworkNode => n !== undefined);
}

export const ISOLATION_RULES: readonly Rule[] = [
  {
    id: 'internal-on-run',
    check(ctx) {
      const cmd = ctx.docker;
      if (!cmd || (cmd.action !== 'run' && cmd.action !== 'create') || !flagOn(cmd, 'internal')) return undefined;
      return {
        en: `--internal is an option of ${code('docker network create')}, not of ${code(`docker ${cmd.action}`)}: a network is internal, not a container. Create the network with it (${code('docker network create --internal NAME')}), then start the container on it with ${code('--net NAME')}.`,
        'zh-CN': `--internal 是 ${code('docker network create')} 的选项，不是 ${code(`docker ${cmd.action}`)} 的：“内部”是网络的属性，不是容器的。先用它创建网络（${code('docker network create --internal 名字')}），再用 ${code('--net 名字')} 把容器启动在这个网络上。`,
      };
    },
  },
  {
    id: 'no-way-out-of-internal',
    check(ctx) {
      const cmd = execOf(ctx);
      const [fromName, ...inner] = cmd?.args ?? [];
      const target = requestTarget(inner);
      if (!cmd || !fromName || !target || !failed(ctx)) return undefined;
      const from = findContainer(ctx.topology, fromName);
      if (from?.state !== 'running') return undefined;
      const nets = networkNodes(ctx.topology, from);
      if (nets.length === 0 || nets.length !== from.networks.length || !nets.every((n) => n.internal)) return undefined;
      // A neighbour on the same internal network is within reach: its failure is another story.
      const neighbour = ctx.topology.containers.find((c) => c.id !== from.id && (c.name === target.host || c.networks.some((a) => a.ip === target.host)));
      if (neighbour && sharedNetworks(from, neighbour).length > 0) return undefined;
      const names = nets.map((n) => n.name);
      const first = names[0] as string;
      return {
        en: `${from.name} is only on ${names.join(', ')}, which ${names.length > 1 ? 'are' : 'is'} internal (created with --internal): Docker forwards nothing from it beyond its subnet, so ${target.program} cannot get out, by design. Other containers reach ${from.name} by joining the network (${code(`docker network connect ${first} OTHER`)}); connecting ${from.name} itself to an ordinary network would give it a way out.`,
        'zh-CN': `${from.name} 只在 ${names.join('、')} 上，而这是内部网络（用 --internal 创建）：Docker 不会把它的流量转发到子网之外，所以 ${target.program} 出不去，这正是内部网络的用意。其他容器加入这个网络就能访问 ${from.name}（${code(`docker network connect ${first} 其他容器`)}）；要是把 ${from.name} 本身接到普通网络上，它就有了出路。`,
      };
    },
  },
  {
    id: 'ping-address-on-other-network',
    check(ctx) {
      const cmd = execOf(ctx);
      const [fromName, ...inner] = cmd?.args ?? [];
      const ping = parsePing(inner);
      if (!cmd || !fromName || !ping?.target || !IPV4.test(ping.target) || !failed(ctx)) return undefined;
      const from = findContainer(ctx.topology, fromName);
      if (from?.state !== 'running' || from.networks.length === 0) return undefined;
      const owner = ownerOf(ctx.topology, ping.target, from);
      if (!owner || sharedNetworks(from, owner.node).length > 0) return undefined;
      const net = owner.network;
      const fix = `docker network connect ${net} ${from.name}`;
      return {
        en: `${ping.target} is ${owner.node.name}'s address on ${net}, and ${from.name} is not on ${net} (it is on ${networksOf(from).join(', ')}). The packet went to the host, and Docker drops what the host would forward from one network's bridge to another's. To let ${from.name} reach it, connect it to that network: ${code(fix)}.`,
        'zh-CN': `${ping.target} 是 ${owner.node.name} 在 ${net} 上的地址，而 ${from.name} 不在 ${net} 上（它在 ${networksOf(from).join('、')} 上）。数据包到了宿主机，而 Docker 会丢弃宿主机要从一个网络的网桥转发到另一个网络网桥的流量。想让 ${from.name} 访问它，就把它接入那个网络：${code(fix)}。`,
      };
    },
  },
  {
    id: 'ping6-without-ipv6',
    check(ctx) {
      const cmd = execOf(ctx);
      const [fromName, ...inner] = cmd?.args ?? [];
      const ping = parsePing(inner);
      if (!cmd || !fromName || !ping?.target || !failed(ctx)) return undefined;
      const v6 = /(^|\/)ping6$/.test(inner[0] ?? '') || inner.slice(1).some((w) => /^-[a-zA-Z]*6[a-zA-Z]*$/.test(w));
      if (!v6) return undefined;
      const from = findContainer(ctx.topology, fromName);
      if (from?.state !== 'running' || from.networks.length === 0 || from.networks.some((a) => a.ip6)) return undefined;
      const custom = networksOf(from).find((n) => !BUILTIN.has(n));
      const net = custom ?? 'NAME';
      return {
        en: `${from.name} has no IPv6 address: ${custom ? `${custom} was` : 'its networks were'} created without --ipv6, so ping -6 has nothing to send from (and the name gets no IPv6 answer). IPv6 is chosen when a network is created: make one with ${code(`docker network create --ipv6 --subnet ${EXAMPLE_SUBNET6} ${custom ? `${net}6` : net}`)} and start or connect the containers there.`,
        'zh-CN': `${from.name} 没有 IPv6 地址：${custom ? `${custom} 创建时` : '它所在的网络创建时'}没有加 --ipv6，ping -6 没有可用的源地址（名字也解析不出 IPv6 地址）。是否启用 IPv6 在创建网络时就定下了：用 ${code(`docker network create --ipv6 --subnet ${EXAMPLE_SUBNET6} ${custom ? `${net}6` : net}`)} 新建一个网络，再把容器启动或连接到上面。`,
      };
    },
  },
];

/** The name a refused network.create asked for (its JSON body). */
function requestedName(body: unknown): string | undefined {
  const name = (body as { Name?: unknown } | undefined)?.Name;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

function requestedSubnets(body: unknown): string[] {
  const configs = (body as { IPAM?: { Config?: { Subnet?: unknown }[] } } | undefined)?.IPAM?.Config ?? [];
  return configs.map((c) => c.Subnet).filter((s): s is string => typeof s === 'string');
}

export const ISOLATION_ENGINE_RULES: readonly EngineRule[] = [
  {
    id: 'ipv6-needs-subnet',
    check(ctx) {
      const { record, error } = ctx;
      if (record.op !== 'network.create' || !/IPv6 address pool/i.test(error)) return undefined;
      const name = requestedName(record.body) ?? 'NAME';
      return {
        subject: name,
        message: {
          en: `This engine has no IPv6 address pool to take a subnet from, so --ipv6 alone is refused. Give the network an IPv6 subnet yourself: ${code(`docker network create --ipv6 --subnet ${EXAMPLE_SUBNET6} ${name}`)}. Addresses starting with fd are private (unique local), like 10.x or 192.168.x in IPv4.`,
          'zh-CN': `这个引擎没有可供分配的 IPv6 地址池，所以只写 --ipv6 会被拒绝。请自己给网络指定一个 IPv6 子网：${code(`docker network create --ipv6 --subnet ${EXAMPLE_SUBNET6} ${name}`)}。以 fd 开头的地址是私有地址（唯一本地地址），相当于 IPv4 里的 10.x 或 192.168.x。`,
        },
      };
    },
  },
  {
    id: 'subnet-taken',
    check(ctx) {
      const { record, error } = ctx;
      if (record.op !== 'network.create' || !/Pool overlaps with other one/i.test(error)) return undefined;
      const wanted = requestedSubnets(record.body);
      const holder = ctx.topology.networks.find((n) => wanted.some((s) => s === n.subnet || s === n.subnet6));
      const subnet = wanted.find((s) => s === holder?.subnet || s === holder?.subnet6) ?? wanted[0] ?? 'that subnet';
      const name = requestedName(record.body) ?? 'NAME';
      const en: Localized['en'] = holder
        ? `The subnet ${subnet} is already used by the network ${holder.name}, and two networks cannot share addresses. Remove ${holder.name} if you no longer need it (${code(`docker network rm ${holder.name}`)}), or give ${name} another subnet.`
        : `The subnet ${subnet} overlaps a network that already exists: ${code('docker network ls')} lists them, and ${code('docker network inspect NAME')} shows each one's subnets. Remove the old one, or give ${name} another subnet.`;
      const zh = holder
        ? `子网 ${subnet} 已经被网络 ${holder.name} 占用，两个网络不能共用地址。如果不再需要 ${holder.name}，就删掉它（${code(`docker network rm ${holder.name}`)}），或者给 ${name} 换一个子网。`
        : `子网 ${subnet} 和一个已有的网络重叠了：${code('docker network ls')} 列出所有网络，${code('docker network inspect 名字')} 能看到各自的子网。删掉旧网络，或者给 ${name} 换一个子网。`;
      return { subject: subnet, message: { en, 'zh-CN': zh } };
    },
  },
];
