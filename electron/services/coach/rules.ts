// The coach's rules: each looks at one command the learner ran, its exit code
// and the tracker's model, and either explains a common mistake (what
// happened, why, what to type instead) or stays silent. Rules explain; they
// never decide whether a checkpoint passed.
import type { CommandRecord, ContainerNode, Localized, Topology } from '../../api/types';
import { ALIAS_RULES } from './alias-rules';
import { COMPOSE_RULES } from './compose-rules';
import { flagOn, flagValue, parsePing, requestTarget, requestedNetwork, type DockerCommand, type RequestTarget } from './command-line';
import {
  SHELL_IMAGES,
  alreadyConnected,
  builtinNetworkRm,
  code,
  execInStopped,
  join,
  joinTargetNotRunning,
  leftBehind,
  nameInUse,
  networkExists,
  networkInUse,
  networkMissing,
  notConnected,
} from './explain';
import { NETNS_RULES } from './netns-rules';
import {
  IPV4,
  NAME_LIKE,
  addressOn,
  attachedTo,
  closestName,
  findContainer,
  findNetwork,
  isOn,
  networksOf,
  onlyOnDefaultBridge,
  sharedNetworks,
} from './topology-view';
import { ISOLATION_RULES } from './isolation-rules';

export interface CoachInput {
  record: CommandRecord;
  /** The tracker's model once the command's Docker events were applied. */
  topology: Topology;
  /** The model before the command, when known: tells what already existed from what this command made. */
  before?: Topology;
  /** The lesson's names, when a lab is open. */
  lesson?: { containers: string[]; networks: string[] };
}

/** What a rule sees: one command of the line. */
export interface RuleContext {
  input: CoachInput;
  topology: Topology;
  /** The words of this simple command. */
  words: string[];
  /** Set when the command is a docker invocation. */
  docker?: DockerCommand;
  /** This command's exit code, when the record's is its own (the line's last command); else undefined. */
  exitCode: number | undefined;
}

export interface Rule {
  id: string;
  /**
   * The mistake it explains, when another rule (of either source) explains the same one under
   * another id: one mistake is shown once, whether a command or an engine record noticed it first.
   */
  mistake?: string;
  check(ctx: RuleContext): Localized | undefined;
}

export const BUILTIN = new Set(['bridge', 'host', 'none', 'default']);

const failed = (ctx: RuleContext): boolean => ctx.exitCode !== undefined && ctx.exitCode !== 0;
const is = (ctx: RuleContext, ...actions: string[]): DockerCommand | undefined =>
  ctx.docker && actions.includes(ctx.docker.action) ? ctx.docker : undefined;

/** Whether a name existed before the command (true when there is no earlier model to ask). */
function existedBefore(ctx: RuleContext, kind: 'container' | 'network', name: string): boolean {
  const before = ctx.input.before;
  if (!before) return true;
  return kind === 'container' ? findContainer(before, name) !== undefined : findNetwork(before, name) !== undefined;
}

/** Container names a typo may have meant: those in the model, and the lesson's. */
export function containerCandidates(ctx: { topology: Topology; input: { lesson?: { containers: string[] } } }): string[] {
  return [...ctx.topology.containers.map((c) => c.name), ...(ctx.input.lesson?.containers ?? [])];
}

/** Network names a typo may have meant: those in the model, and the lesson's. */
export function networkCandidates(ctx: { topology: Topology; input: { lesson?: { networks: string[] } } }): string[] {
  return [...ctx.topology.networks.map((n) => n.name), ...(ctx.input.lesson?.networks ?? [])];
}

/** A user-defined network to suggest: the lesson's first, else a name to make. */
function suggestedNetwork(ctx: RuleContext): string {
  return ctx.input.lesson?.networks[0] ?? 'my_network';
}

/** A failed run/create may still leave its container behind (created, never started). */
function leftover(ctx: RuleContext, cmd: DockerCommand): Localized | undefined {
  const name = flagValue(cmd, 'name');
  if (!name) return undefined;
  const node = findContainer(ctx.topology, name);
  if (node?.state !== 'created' || !failed(ctx)) return undefined;
  return leftBehind(name);
}

/** The exec's inner command as a ping, with the container it runs in. */
function execPing(ctx: RuleContext): { from: string; target: string; bounded: boolean; interactive: boolean } | undefined {
  const cmd = is(ctx, 'exec');
  if (!cmd) return undefined;
  const [from, ...inner] = cmd.args;
  const ping = parsePing(inner);
  if (!from || !ping?.target) return undefined;
  return { from, target: ping.target, bounded: ping.bounded, interactive: flagOn(cmd, 'interactive') };
}

/**
 * Both ends of a failed `docker exec X ping NAME` (or `wget http://NAME/…`, `curl …`,
 * `nslookup NAME`) where NAME is a running container's name, with what was run.
 */
function failedLookupByName(ctx: RuleContext): { from: ContainerNode; to: ContainerNode; target: RequestTarget } | undefined {
  const cmd = is(ctx, 'exec');
  const [fromName, ...inner] = cmd?.args ?? [];
  const target = requestTarget(inner, { lookups: true });
  if (!fromName || !target || !failed(ctx) || IPV4.test(target.host) || !NAME_LIKE.test(target.host)) return undefined;
  const from = findContainer(ctx.topology, fromName);
  const to = ctx.topology.containers.find((c) => c.name === target.host);
  if (from?.state !== 'running' || to?.state !== 'running') return undefined;
  return { from, to, target };
}

/** The same request to an address instead of the name, when there is one to write. */
function byAddress(from: string, target: RequestTarget, ip: string): string | undefined {
  if (target.program === 'ping') return `docker exec ${from} ping -c 3 ${ip}`;
  const url = target.url?.replace(`//${target.host}`, `//${ip}`);
  if (!url) return undefined;
  return target.program === 'curl' ? `docker exec ${from} curl -s ${url}` : `docker exec ${from} wget -q -O- ${url}`;
}

/** On none or host, a container cannot be given another network: a fix with docker network connect would be refused. */
const fixedMode = (c: ContainerNode): boolean => isOn(c, 'none') || isOn(c, 'host');

export const RULES: readonly Rule[] = [
  // First: a flag docker does not know shifts the words, which later rules would misread.
  ...ALIAS_RULES,
  ...COMPOSE_RULES,
  {
    id: 'exec-container-missing',
    mistake: 'container-missing',
    check(ctx) {
      const cmd = is(ctx, 'exec');
      const name = cmd?.args[0];
      if (!cmd || !name || !failed(ctx) || findContainer(ctx.topology, name)) return undefined;
      const near = closestName(name, containerCandidates(ctx));
      return near
        ? {
            en: `There is no container named ${name}. Did you mean ${near}? Names must match exactly: ${code(`docker exec ${near} …`)}.`,
            'zh-CN': `没有名为 ${name} 的容器。是不是想输入 ${near}？名字必须完全一致：${code(`docker exec ${near} …`)}。`,
          }
        : {
            en: `There is no container named ${name}, so there is nothing to run the command in. ${code('docker ps -a')} lists the containers that exist; create it first if it is missing.`,
            'zh-CN': `没有名为 ${name} 的容器，命令无处可执行。用 ${code('docker ps -a')} 查看现有的容器；如果确实没有，先创建它。`,
          };
    },
  },
  {
    id: 'exec-container-stopped',
    check(ctx) {
      const cmd = is(ctx, 'exec');
      const node = cmd?.args[0] ? findContainer(ctx.topology, cmd.args[0]) : undefined;
      if (!cmd || !node || !failed(ctx) || node.state === 'running') return undefined;
      return execInStopped(node);
    },
  },
  {
    id: 'no-bash-in-image',
    check(ctx) {
      const cmd = is(ctx, 'exec');
      const [name, program] = cmd?.args ?? [];
      if (!cmd || !name || !program || !/(^|\/)bash$/.test(program)) return undefined;
      if (ctx.exitCode !== 126 && ctx.exitCode !== 127) return undefined;
      return {
        en: `The image of ${name} has no bash, so Docker could not start it (exit code ${ctx.exitCode}). Small images such as busybox ship only sh: ${code(`docker exec -it ${name} sh`)}.`,
        'zh-CN': `${name} 的镜像里没有 bash，所以 Docker 无法启动它（退出码 ${ctx.exitCode}）。busybox 这类精简镜像只带 sh：${code(`docker exec -it ${name} sh`)}。`,
      };
    },
  },
  {
    // Debian's busybox-static 1.35, which the offline lab images are built from, dies on wget -T
    // (SIGSEGV, exit 139) even when the server answers; Docker Hub's busybox does not, so 139 says which.
    id: 'busybox-wget-timeout',
    check(ctx) {
      const cmd = is(ctx, 'exec');
      const [name, program, ...rest] = cmd?.args ?? [];
      if (!cmd || !name || !program || !/(^|\/)wget$/.test(program) || ctx.exitCode !== 139) return undefined;
      if (!rest.some((w) => w.startsWith('-T'))) return undefined;
      const url = rest.find((w) => /^https?:\/\//.test(w)) ?? 'URL';
      return {
        en: `That wget crashed (exit code 139): the busybox in this lab's offline images breaks on ${code('-T')}, whatever the server does. Bound the wait with busybox's own timeout instead: ${code(`docker exec ${name} timeout 3 wget -q -O- ${url}`)}.`,
        'zh-CN': `这个 wget 崩溃了（退出码 139）：本实验离线镜像里的 busybox 一遇到 ${code('-T')} 就会出错，与服务器无关。改用 busybox 自带的 timeout 来限制等待时间：${code(`docker exec ${name} timeout 3 wget -q -O- ${url}`)}。`,
      };
    },
  },
  {
    id: 'dns-on-default-bridge',
    check(ctx) {
      const pair = failedLookupByName(ctx);
      if (!pair || !onlyOnDefaultBridge(pair.from) || !onlyOnDefaultBridge(pair.to)) return undefined;
      const { from, to, target } = pair;
      const ip = addressOn(to, 'bridge') || '<IP>';
      const net = suggestedNetwork(ctx);
      const create = code(`docker network create ${net}`);
      const connectFrom = code(`docker network connect ${net} ${from.name}`);
      const connectTo = code(`docker network connect ${net} ${to.name}`);
      const cause: Localized = {
        en: `The name ${to.name} did not resolve: ${from.name} and ${to.name} are only on the default bridge, where Docker's embedded DNS (127.0.0.11) does not answer for container names. `,
        'zh-CN': `名字 ${to.name} 没有解析成功：${from.name} 和 ${to.name} 都只在默认的 bridge 网络上，Docker 内嵌的 DNS（127.0.0.11）在那里不解析容器名。`,
      };
      const alt = byAddress(from.name, target, ip);
      const lead: Localized = alt
        ? {
            en: `${target.program === 'ping' ? 'Ping by address' : 'Use the address instead'} (${code(alt)}), or put both on a user-defined network`,
            'zh-CN': `可以改用 IP 地址（${code(alt)}），或者把两者接入同一个自定义网络`,
          }
        : { en: 'Put both on a user-defined network', 'zh-CN': '把两者接入同一个自定义网络' };
      return join(cause, {
        en: `${lead.en}: ${create}, then ${connectFrom} and ${connectTo}.`,
        'zh-CN': `${lead['zh-CN']}：先 ${create}，再 ${connectFrom} 和 ${connectTo}。`,
      });
    },
  },
  {
    // Also when they share only the default bridge: names do not resolve there either.
    id: 'ping-no-shared-network',
    check(ctx) {
      const pair = failedLookupByName(ctx);
      if (!pair) return undefined;
      const { from, to, target } = pair;
      if (from.networks.length === 0 || to.networks.length === 0 || fixedMode(from) || fixedMode(to)) return undefined;
      if (onlyOnDefaultBridge(from) && onlyOnDefaultBridge(to)) return undefined;
      const shared = sharedNetworks(from, to);
      if (shared.some((n) => n !== 'bridge')) return undefined;
      const custom = networksOf(to).find((n) => !BUILTIN.has(n));
      const fix = custom ? `docker network connect ${custom} ${from.name}` : `docker network connect ${networksOf(from).find((n) => !BUILTIN.has(n)) ?? suggestedNetwork(ctx)} ${to.name}`;
      const ping = target.program === 'ping';
      const again: Localized = ping ? { en: 'ping again', 'zh-CN': '然后再 ping' } : { en: 'try again', 'zh-CN': '然后再试一次' };
      const where: Localized = {
        en: `${from.name} is on ${networksOf(from).join(', ')}; ${to.name} is on ${networksOf(to).join(', ')}`,
        'zh-CN': `${from.name} 在 ${networksOf(from).join('、')}；${to.name} 在 ${networksOf(to).join('、')}`,
      };
      if (shared.length > 0) {
        return {
          en: `${from.name} and ${to.name} share only the default bridge, and names do not resolve there: Docker's embedded DNS answers only on user-defined networks, for the containers on the same one. ${where.en}. Put both on one user-defined network, for example ${code(fix)}, and ${again.en}.`,
          'zh-CN': `${from.name} 和 ${to.name} 只共享默认的 bridge 网络，而那里不解析名字：Docker 内嵌的 DNS 只在自定义网络上应答，而且只解析同一网络上的容器。${where['zh-CN']}。把两者接入同一个自定义网络，例如 ${code(fix)}，${again['zh-CN']}。`,
        };
      }
      const so: Localized = ping
        ? { en: 'so one cannot reach the other', 'zh-CN': '所以互相访问不到' }
        : { en: `so the name ${to.name} does not resolve in ${from.name}, and its address would not get through either`, 'zh-CN': `所以在 ${from.name} 里解析不了 ${to.name} 这个名字，换成地址也过不去` };
      return {
        en: `${from.name} and ${to.name} share no network (${where.en}), ${so.en}. Put them on a common user-defined network, for example ${code(fix)}, and ${again.en}.`,
        'zh-CN': `${from.name} 和 ${to.name} 不在同一个网络上（${where['zh-CN']}），${so['zh-CN']}。把它们接入同一个自定义网络，例如 ${code(fix)}，${again['zh-CN']}。`,
      };
    },
  },
  {
    id: 'ping-unknown-name',
    check(ctx) {
      const ping = execPing(ctx);
      if (!ping || !failed(ctx) || IPV4.test(ping.target) || !NAME_LIKE.test(ping.target)) return undefined;
      if (!findContainer(ctx.topology, ping.from) || ctx.topology.containers.some((c) => c.name === ping.target)) return undefined;
      const near = closestName(ping.target, containerCandidates(ctx));
      if (!near) return undefined;
      return {
        en: `There is no container named ${ping.target}. Did you mean ${near}? Container names must match exactly: ${code(`docker exec ${ping.from} ping -c 3 ${near}`)}.`,
        'zh-CN': `没有名为 ${ping.target} 的容器。是不是想输入 ${near}？容器名必须完全一致：${code(`docker exec ${ping.from} ping -c 3 ${near}`)}。`,
      };
    },
  },
  {
    id: 'ping-without-count',
    check(ctx) {
      const ping = execPing(ctx);
      // An unbounded ping ends only when interrupted: the client reports 0, 130 or 143.
      if (!ping || ping.bounded || ![0, 130, 143].includes(ctx.exitCode ?? -1)) return undefined;
      const fixed = `docker exec ${ping.from} ping -c 3 ${ping.target}`;
      if (ping.interactive) {
        return {
          en: `ping without -c keeps going until you press Ctrl+C. Give it a count and it stops by itself with a summary: ${code(fixed)}.`,
          'zh-CN': `不带 -c 的 ping 会一直运行，直到按下 Ctrl+C。加上次数，它就会自己停下并给出统计：${code(fixed)}。`,
        };
      }
      return {
        en: `ping without -c never stops by itself, and without -i your Ctrl+C stopped only the docker client: ping is still running inside ${ping.from}. Stop it with ${code(`docker exec ${ping.from} killall ping`)}, and next time give it a count: ${code(fixed)}.`,
        'zh-CN': `不带 -c 的 ping 不会自己停下；而且没有 -i 时，Ctrl+C 只结束了 docker 客户端，ping 仍在 ${ping.from} 里运行。用 ${code(`docker exec ${ping.from} killall ping`)} 停掉它，下次加上次数：${code(fixed)}。`,
      };
    },
  },
  {
    id: 'host-ping-container-name',
    check(ctx) {
      if (ctx.docker) return undefined;
      const ping = parsePing(ctx.words);
      if (!ping?.target || !failed(ctx)) return undefined;
      const to = ctx.topology.containers.find((c) => c.name === ping.target);
      if (!to) return undefined;
      const other = ctx.topology.containers.find((c) => c !== to && c.state === 'running' && sharedNetworks(c, to).some((n) => !BUILTIN.has(n)));
      const ip = to.networks.find((a) => a.ip)?.ip;
      const via = other ? `docker exec ${other.name} ping -c 3 ${to.name}` : `docker exec <container> ping -c 3 ${to.name}`;
      return {
        en: `Your host does not know container names: Docker's embedded DNS (127.0.0.11) answers only inside containers on a user-defined network. Ping it from a container on the same network (${code(via)})${ip ? `, or use its address ${ip}` : ''}.`,
        'zh-CN': `宿主机并不认识容器名：Docker 内嵌的 DNS（127.0.0.11）只在接入自定义网络的容器内部应答。请在同一网络的另一个容器里 ping 它（${code(via)}）${ip ? `，或者直接用它的地址 ${ip}` : ''}。`,
      };
    },
  },
  {
    id: 'join-target-not-running',
    check(ctx) {
      const cmd = is(ctx, 'run', 'create');
      const mode = cmd ? requestedNetwork(cmd) : '';
      if (!cmd || !mode.startsWith('container:')) return undefined;
      if (cmd.action === 'run' && !failed(ctx)) return undefined;
      const target = mode.slice('container:'.length);
      const node = findContainer(ctx.topology, target);
      if (node?.state === 'running') return undefined;
      const near = node ? undefined : closestName(target, containerCandidates(ctx));
      return join(joinTargetNotRunning(target, node, near), leftover(ctx, cmd));
    },
  },
  {
    id: 'network-not-found',
    check(ctx) {
      const cmd = is(ctx, 'run', 'create', 'network connect');
      if (!cmd || !failed(ctx)) return undefined;
      const network = cmd.action === 'network connect' ? cmd.args[0] : requestedNetwork(cmd);
      if (!network || BUILTIN.has(network) || network.startsWith('container:') || findNetwork(ctx.topology, network)) return undefined;
      const text = networkMissing(network, closestName(network, networkCandidates(ctx)));
      return cmd.action === 'network connect' ? text : join(text, leftover(ctx, cmd));
    },
  },
  {
    id: 'name-in-use',
    check(ctx) {
      const cmd = is(ctx, 'run', 'create');
      const name = cmd ? flagValue(cmd, 'name') : undefined;
      if (!cmd || !name || ctx.exitCode !== 125) return undefined;
      const node = findContainer(ctx.topology, name);
      if (!node || !existedBefore(ctx, 'container', name)) return undefined;
      return nameInUse(name, node);
    },
  },
  {
    id: 'publish-ignored-in-host-mode',
    check(ctx) {
      const cmd = is(ctx, 'run', 'create');
      if (!cmd || requestedNetwork(cmd) !== 'host') return undefined;
      if (!cmd.flags.has('publish') && !flagOn(cmd, 'publish-all')) return undefined;
      return {
        en: `With --net host the container shares the host's network stack, so -p is ignored (Docker warns that published ports are discarded): the service listens directly on the host's own port. Drop -p, or leave out --net host if you want the port mapping.`,
        'zh-CN': `使用 --net host 时，容器直接共用宿主机的网络栈，-p 会被忽略（Docker 会警告端口映射被丢弃）：服务直接监听宿主机自己的端口。去掉 -p；如果需要端口映射，就不要用 --net host。`,
      };
    },
  },
  {
    id: 'shell-exits-without-stdin',
    check(ctx) {
      const cmd = is(ctx, 'run');
      const image = cmd?.args[0];
      if (!cmd || !image || ctx.exitCode !== 0 || !SHELL_IMAGES.test(image) || cmd.args.length > 1) return undefined;
      if (!flagOn(cmd, 'detach') || flagOn(cmd, 'interactive') || flagOn(cmd, 'tty')) return undefined;
      const name = flagValue(cmd, 'name');
      const node = name
        ? findContainer(ctx.topology, name)
        : ctx.input.before
          ? ctx.topology.containers.find((c) => c.image === image && !ctx.input.before?.containers.some((b) => b.id === c.id))
          : undefined;
      if (!node || node.state !== 'exited') return undefined;
      const fixed = ctx.input.record.command.trim().replace(/\b(docker\s+(?:container\s+)?run)\b/, '$1 -i');
      const removal = flagOn(cmd, 'rm') ? '' : `docker rm ${node.name}`;
      return {
        en: `${node.name} stopped right away: ${image}'s default command is sh, and with -d but without -i its input is closed, so sh ends at once and the container with it. ${removal ? `Remove it (${code(removal)}) and run it again with -i: ` : 'Run it again with -i: '}${code(fixed)}.`,
        'zh-CN': `${node.name} 一启动就停止了：${image} 的默认命令是 sh，只加 -d 不加 -i 时它的标准输入是关闭的，sh 立即结束，容器也随之停止。${removal ? `先删除它（${code(removal)}），再加上 -i 重新运行：` : '加上 -i 重新运行：'}${code(fixed)}。`,
      };
    },
  },
  {
    id: 'interactive-run-exited',
    check(ctx) {
      const cmd = is(ctx, 'run');
      const name = cmd ? flagValue(cmd, 'name') : undefined;
      if (!cmd || !name || !ctx.input.lesson?.containers.includes(name) || ctx.exitCode === 125 || ctx.exitCode === undefined) return undefined;
      if (flagOn(cmd, 'detach') || flagOn(cmd, 'rm') || !(flagOn(cmd, 'interactive') && flagOn(cmd, 'tty'))) return undefined;
      const node = findContainer(ctx.topology, name);
      if (node?.state !== 'exited') return undefined;
      return {
        en: `Leaving the shell stopped ${name}: that shell was its main process. Start it again in the background with ${code(`docker start ${name}`)}. To keep a container running from the start, use -dit and enter it later with ${code(`docker exec -it ${name} sh`)}.`,
        'zh-CN': `退出 shell 后 ${name} 也停止了：那个 shell 就是它的主进程。用 ${code(`docker start ${name}`)} 让它在后台重新运行。想让容器一开始就保持运行，可以用 -dit，之后再用 ${code(`docker exec -it ${name} sh`)} 进入。`,
      };
    },
  },
  {
    id: 'network-exists',
    check(ctx) {
      const cmd = is(ctx, 'network create');
      const name = cmd?.args[0];
      if (!cmd || !name || !failed(ctx) || !findNetwork(ctx.topology, name) || !existedBefore(ctx, 'network', name)) return undefined;
      return networkExists(name);
    },
  },
  {
    id: 'network-builtin-rm',
    check(ctx) {
      const cmd = is(ctx, 'network rm');
      const name = cmd?.args.find((n) => BUILTIN.has(n) && n !== 'default');
      if (!cmd || !name || !failed(ctx)) return undefined;
      return builtinNetworkRm(name);
    },
  },
  {
    id: 'network-in-use',
    check(ctx) {
      const cmd = is(ctx, 'network rm');
      if (!cmd || !failed(ctx)) return undefined;
      for (const name of cmd.args) {
        const network = findNetwork(ctx.topology, name);
        const users = network ? attachedTo(ctx.topology, network.name) : [];
        if (!network || users.length === 0) continue;
        return networkInUse(network.name, users);
      }
      return undefined;
    },
  },
  {
    id: 'already-connected',
    check(ctx) {
      const cmd = is(ctx, 'network connect');
      const [network, container] = cmd?.args ?? [];
      const node = container ? findContainer(ctx.topology, container) : undefined;
      if (!cmd || !network || !node || !failed(ctx) || !isOn(node, network)) return undefined;
      return alreadyConnected(node.name, network, addressOn(node, network));
    },
  },
  {
    id: 'not-connected',
    check(ctx) {
      const cmd = is(ctx, 'network disconnect');
      const [network, container] = cmd?.args ?? [];
      const node = container ? findContainer(ctx.topology, container) : undefined;
      if (!cmd || !network || !node || !failed(ctx) || !findNetwork(ctx.topology, network) || isOn(node, network)) return undefined;
      return notConnected(node.name, network, node);
    },
  },
  ...NETNS_RULES,
  ...ISOLATION_RULES,
];
