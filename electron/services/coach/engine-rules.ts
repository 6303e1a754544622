// The coach's rules for what the engine refused: each looks at one Docker API
// call the lab relay recorded (its operation, target and the engine's message),
// the calls that came with it, and the tracker's model, and either explains the
// mistake or stays silent. They see every shell, hooks or none, any alias or
// script; they explain and never decide a checkpoint.
//
// The docker CLI makes calls that fail on purpose: `docker inspect NAME` asks
// for a container, then an image, a network, a volume; `docker run` asks to
// create first and pulls only when the image is missing. A rule reads a refused
// call together with the burst it arrived in (one command's calls), and stays
// silent for such lookups.
import { ALIAS_ENGINE_RULES } from './alias-rules';
import { COMPOSE_ENGINE_RULES } from './compose-rules';
import type { ContainerNode, Localized, Topology } from '../../api/types';
import type { EngineRecord } from '../relay/engine-record';
import {
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
import { PORT_RULES } from './port-rules';
import { containerCandidates, networkCandidates } from './rules';
import { ISOLATION_ENGINE_RULES } from './isolation-rules';
import { TROUBLESHOOTING_ENGINE_RULES } from './troubleshooting-rules';
import { addressOn, attachedTo, closestName, findContainer, findNetwork } from './topology-view';

export interface EngineCoachInput {
  /** Calls one shell made together (a command's calls), in order; the refused ones are explained. */
  records: readonly EngineRecord[];
  /** The tracker's model once the calls' Docker events were applied. */
  topology: Topology;
  /** The open lesson's names and images. */
  lesson?: { containers: string[]; networks: string[]; images?: string[] };
}

/** What an engine rule sees: one refused call and the burst around it. */
export interface EngineRuleContext {
  input: EngineCoachInput;
  topology: Topology;
  record: EngineRecord;
  /** The engine's message for the refused call. */
  error: string;
}

export interface EngineExplanation {
  /** The name the mistake is about: one hint per rule and subject. */
  subject: string;
  message: Localized;
}

export interface EngineRule {
  id: string;
  /** As Rule.mistake: the command rule that explains the same mistake under another id. */
  mistake?: string;
  check(ctx: EngineRuleContext): EngineExplanation | undefined;
}

/** A call the engine refused, with its message; an unreachable engine (status 0) is the banner's to say, not the coach's. */
export function refused(record: EngineRecord): boolean {
  return record.status >= 400 && typeof record.error === 'string' && record.error !== '';
}

const isContainerOp = (op: string): boolean => op.startsWith('container.');
const shortId = (id: string): string => (/^[0-9a-f]{64}$/.test(id) ? id.slice(0, 12) : id);

/** A container the message or the path names, by name or id; its name for the learner. */
function containerNamed(ctx: EngineRuleContext, ref: string | undefined): { name: string; node?: ContainerNode } | undefined {
  if (!ref) return undefined;
  const node = findContainer(ctx.topology, ref);
  return node ? { name: node.name, node } : { name: shortId(ref) };
}

/**
 * `docker inspect NAME` (no type given) asks for a container, an image, a network… in turn,
 * each lookup but one refused: none of those refusals is a mistake.
 */
function typeProbing(ctx: EngineRuleContext): boolean {
  const { record } = ctx;
  if (!record.op.endsWith('.inspect') || record.target === undefined) return false;
  const asked = new Set(ctx.input.records.filter((r) => r.target === record.target && r.op.endsWith('.inspect')).map((r) => r.op));
  return asked.has('container.inspect') && asked.has('image.inspect');
}

/** The image a pull asked for (`/images/create?fromImage=busybox&tag=1.36`). */
function pulledImage(record: EngineRecord): string | undefined {
  const from = record.query.fromImage;
  if (!from) return undefined;
  const tag = record.query.tag;
  return tag ? `${from}${tag.includes(':') ? '@' : ':'}${tag}` : from;
}

/** `docker.io/library/busybox:latest` and `busybox` are the same image. */
export function sameImage(a: string, b: string): boolean {
  const norm = (ref: string): string => {
    let name = ref.replace(/^(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '').replace(/^library\//, '');
    if (name.includes('@')) return name;
    const slash = name.lastIndexOf('/');
    if (name.lastIndexOf(':') <= slash) name += ':latest';
    return name;
  };
  return norm(a) === norm(b);
}

/** The registry could not be reached at all (no network, DNS, a proxy), as Docker words it. */
const UNREACHABLE_REGISTRY = /no such host|dial tcp|i\/o timeout|network is unreachable|connection refused|connection reset|TLS handshake timeout|Client\.Timeout|server misbehaving|temporary failure in name resolution|no route to host/i;
/** The registry answered: no such image or tag (or not for you). */
const NO_SUCH_IMAGE = /manifest unknown|manifest for \S+ not found|not found: manifest|repository does not exist|pull access denied|requested access to the resource is denied|unauthorized/i;

function lessonImages(ctx: EngineRuleContext): string[] {
  return ctx.input.lesson?.images ?? [];
}

const PACK: Localized = {
  en: `import the image pack your instructor gave you (home screen, under Docker: “Import image pack…”; in the desktop app also File → Import image pack…)`,
  'zh-CN': `导入讲师提供的镜像包（首页的 Docker 部分：“导入镜像包…”；桌面版也可以用 File → Import image pack…）`,
};

export const ENGINE_RULES: readonly EngineRule[] = [
  // First: narrower than the general rules below (compose-name-taken before name-in-use).
  ...COMPOSE_ENGINE_RULES,
  {
    id: 'exec-container-stopped',
    check(ctx) {
      const { record, error } = ctx;
      if (record.op !== 'container.exec' || record.status !== 409) return undefined;
      const paused = /is paused/.test(error);
      if (!paused && !/is not running/.test(error)) return undefined;
      const found = containerNamed(ctx, record.target);
      if (!found) return undefined;
      const node = found.node ?? { name: found.name, state: paused ? 'paused' : 'stopped', image: '' };
      return { subject: found.name, message: execInStopped(paused ? { ...node, state: 'paused' } : node) };
    },
  },
  {
    id: 'container-not-running',
    check(ctx) {
      const { record, error } = ctx;
      if (!isContainerOp(record.op) || record.op === 'container.exec' || record.status !== 409 || !/is not running/.test(error)) return undefined;
      const found = containerNamed(ctx, record.target);
      if (!found) return undefined;
      const state = found.node?.state ?? 'stopped';
      return {
        subject: found.name,
        message: {
          en: `${found.name} is not running (state: ${state}), so Docker cannot do that to it now. If you need it running, start it first with ${code(`docker start ${found.name}`)}.`,
          'zh-CN': `${found.name} 没有在运行（状态：${state}），所以 Docker 现在无法对它执行这个操作。如果需要它运行，先用 ${code(`docker start ${found.name}`)} 启动它。`,
        },
      };
    },
  },
  {
    id: 'container-missing',
    check(ctx) {
      const { record, error } = ctx;
      const named = /No such container: (\S+)/.exec(error)?.[1];
      if (record.status !== 404 || !named) return undefined;
      if (!isContainerOp(record.op) && record.op !== 'network.connect' && record.op !== 'network.disconnect') return undefined;
      // `docker rm -f` means "if it is there": the CLI itself exits 0.
      if (record.op === 'container.remove' && ['1', 'true'].includes(record.query.force ?? '')) return undefined;
      if (typeProbing(ctx)) return undefined;
      const name = named.replace(/^\//, '');
      const near = closestName(name, containerCandidates({ topology: ctx.topology, input: ctx.input }));
      return {
        subject: name,
        message: near
          ? {
              en: `There is no container named ${name}. Did you mean ${near}? Container names must match exactly (${code('docker ps -a')} lists them).`,
              'zh-CN': `没有名为 ${name} 的容器。是不是想输入 ${near}？容器名必须完全一致（用 ${code('docker ps -a')} 查看）。`,
            }
          : {
              en: `There is no container named ${name}. ${code('docker ps -a')} lists the containers that exist, stopped ones too; create it first if it is missing.`,
              'zh-CN': `没有名为 ${name} 的容器。用 ${code('docker ps -a')} 查看现有的容器（包括已停止的）；如果确实没有，先创建它。`,
            },
      };
    },
  },
  {
    id: 'network-not-found',
    check(ctx) {
      const { record, error } = ctx;
      const network = /network (\S+) not found/.exec(error)?.[1];
      if (record.status !== 404 || !network || typeProbing(ctx)) return undefined;
      if (!record.op.startsWith('network.') && record.op !== 'container.start' && record.op !== 'container.create') return undefined;
      const text = networkMissing(network, closestName(network, networkCandidates({ topology: ctx.topology, input: ctx.input })));
      // `docker run --network NAME` creates the container, then fails to start it: it stays behind.
      const started = record.op === 'container.start' ? containerNamed(ctx, record.target) : undefined;
      return { subject: network, message: started?.node?.state === 'created' ? join(text, leftBehind(started.name)) : text };
    },
  },
  {
    id: 'join-target-not-running',
    check(ctx) {
      const { record, error } = ctx;
      const target = /cannot join network of a non running container: (\S+)/.exec(error)?.[1];
      if (!target || !isContainerOp(record.op)) return undefined;
      const joined = containerNamed(ctx, target);
      if (!joined) return undefined;
      const text = joinTargetNotRunning(joined.name, joined.node, undefined);
      const started = record.op === 'container.start' ? containerNamed(ctx, record.target) : undefined;
      return { subject: joined.name, message: started?.node?.state === 'created' ? join(text, leftBehind(started.name)) : text };
    },
  },
  {
    id: 'name-in-use',
    check(ctx) {
      const { record, error } = ctx;
      const match = /The container name "\/?([^"]+)" is already in use by container "([0-9a-f]+)"/.exec(error);
      if (record.status !== 409 || !match?.[1] || (record.op !== 'container.create' && record.op !== 'container.rename')) return undefined;
      const name = match[1];
      const node = findContainer(ctx.topology, name) ?? (match[2] ? findContainer(ctx.topology, match[2]) : undefined);
      return { subject: name, message: nameInUse(name, node) };
    },
  },
  {
    id: 'remove-running-container',
    check(ctx) {
      const { record, error } = ctx;
      const state = /You cannot remove a (running|paused|restarting) container/.exec(error)?.[1];
      if (record.op !== 'container.remove' || record.status !== 409 || !state) return undefined;
      const found = containerNamed(ctx, record.target);
      if (!found) return undefined;
      const name = found.name;
      if (state === 'paused') {
        return {
          subject: name,
          message: {
            en: `${name} is paused, and Docker removes only stopped containers. ${code(`docker rm -f ${name}`)} removes it anyway; or resume and stop it first: ${code(`docker unpause ${name}`)}, ${code(`docker stop ${name}`)}, then ${code(`docker rm ${name}`)}.`,
            'zh-CN': `${name} 处于暂停状态，而 Docker 只删除已停止的容器。${code(`docker rm -f ${name}`)} 可以直接删除它；或者先恢复并停止它：${code(`docker unpause ${name}`)}、${code(`docker stop ${name}`)}，再 ${code(`docker rm ${name}`)}。`,
          },
        };
      }
      return {
        subject: name,
        message: {
          en: `${name} is still running, and ${code('docker rm')} removes only stopped containers. Stop it first (${code(`docker stop ${name}`)}, then ${code(`docker rm ${name}`)}), or do both at once with ${code(`docker rm -f ${name}`)}.`,
          'zh-CN': `${name} 仍在运行，而 ${code('docker rm')} 只删除已停止的容器。先停止它（${code(`docker stop ${name}`)}，再 ${code(`docker rm ${name}`)}），或者用 ${code(`docker rm -f ${name}`)} 一步完成。`,
        },
      };
    },
  },
  {
    id: 'network-exists',
    check(ctx) {
      const name = /network with name (\S+) already exists/.exec(ctx.error)?.[1];
      if (ctx.record.op !== 'network.create' || ctx.record.status !== 409 || !name) return undefined;
      return { subject: name, message: networkExists(name) };
    },
  },
  {
    id: 'network-builtin-rm',
    check(ctx) {
      const name = /^(\S+) is a pre-defined network and cannot be removed/.exec(ctx.error)?.[1];
      if (ctx.record.op !== 'network.remove' || !name) return undefined;
      return { subject: name, message: builtinNetworkRm(name) };
    },
  },
  {
    id: 'network-in-use',
    check(ctx) {
      const { record, error } = ctx;
      if (record.op !== 'network.remove' || !/has active endpoints/.test(error)) return undefined;
      const ref = /network (\S+) id [0-9a-f]+ has active endpoints/.exec(error)?.[1] ?? record.target;
      if (!ref) return undefined;
      const network = findNetwork(ctx.topology, ref);
      const name = network?.name ?? ref;
      return { subject: name, message: networkInUse(name, network ? attachedTo(ctx.topology, network.name) : []) };
    },
  },
  {
    id: 'already-connected',
    check(ctx) {
      const match = /endpoint with name (\S+) already exists in network (\S+)/.exec(ctx.error);
      if (ctx.record.op !== 'network.connect' || !match?.[1] || !match[2]) return undefined;
      const [, container, network] = match;
      const node = findContainer(ctx.topology, container);
      return { subject: `${container} ${network}`, message: alreadyConnected(node?.name ?? container, network, node ? addressOn(node, network) : '') };
    },
  },
  {
    id: 'not-connected',
    check(ctx) {
      const match = /container (\S+) is not connected to (?:the )?network (\S+)/.exec(ctx.error);
      if (ctx.record.op !== 'network.disconnect' || !match?.[1] || !match[2]) return undefined;
      const found = containerNamed(ctx, match[1]);
      if (!found) return undefined;
      return { subject: `${found.name} ${match[2]}`, message: notConnected(found.name, match[2], found.node) };
    },
  },
  {
    id: 'image-unavailable',
    check(ctx) {
      const { record, error } = ctx;
      const image = pulledImage(record);
      if (record.op !== 'image.pull' || !image || !UNREACHABLE_REGISTRY.test(error)) return undefined;
      const images = lessonImages(ctx);
      const cause: Localized = {
        en: `${image} is not on this machine, and Docker could not download it: the registry cannot be reached, so this machine seems to be offline.`,
        'zh-CN': `本机没有 ${image}，Docker 也无法下载它：连不上镜像仓库，这台电脑似乎没有联网。`,
      };
      if (images.length === 0 || images.some((i) => sameImage(i, image))) {
        return {
          subject: image,
          message: join(cause, {
            en: ` Without internet, ${PACK.en}. Once you are online, the Pull button there fetches it. ${code('docker images')} lists the images you already have.`,
            'zh-CN': `没有网络时，请${PACK['zh-CN']}。联网后，那里的“拉取”按钮可以下载它。${code('docker images')} 列出本机已有的镜像。`,
          }),
        };
      }
      return {
        subject: image,
        message: join(cause, {
          en: ` This lesson uses ${images.join(', ')}: check the name and the tag you typed (${code('docker images')} lists the images you have). If one of the lesson's images is missing, ${PACK.en}, or press Pull there once you are online.`,
          'zh-CN': `本课用到的镜像是 ${images.join('、')}：请检查输入的镜像名和标签（${code('docker images')} 列出本机已有的镜像）。如果缺少本课的镜像，请${PACK['zh-CN']}，或者联网后在那里点“拉取”。`,
        }),
      };
    },
  },
  {
    id: 'image-not-found',
    check(ctx) {
      const { record, error } = ctx;
      const image = pulledImage(record);
      if (record.op !== 'image.pull' || !image || UNREACHABLE_REGISTRY.test(error) || !NO_SUCH_IMAGE.test(error)) return undefined;
      const images = lessonImages(ctx);
      return {
        subject: image,
        message: {
          en: `The registry has no image ${image} (or it is private): check the name and the tag.${images.length ? ` This lesson uses ${images.join(', ')}.` : ''} ${code('docker images')} lists the images on this machine.`,
          'zh-CN': `镜像仓库里没有 ${image}（或者它是私有的）：请检查镜像名和标签。${images.length ? `本课用到的镜像是 ${images.join('、')}。` : ''}${code('docker images')} 列出本机已有的镜像。`,
        },
      };
    },
  },
  {
    id: 'image-in-use',
    check(ctx) {
      const { record, error } = ctx;
      if (record.op !== 'image.remove' || record.status !== 409 || !record.target || !/^conflict: unable to/.test(error)) return undefined;
      const user = containerNamed(ctx, /container ([0-9a-f]+) is using/.exec(error)?.[1] ?? /used by (?:running|stopped) container ([0-9a-f]+)/.exec(error)?.[1]);
      const image = record.target;
      const needed = lessonImages(ctx).some((i) => sameImage(i, image));
      const who = user?.name ?? 'NAME';
      return {
        subject: image,
        message: join(
          {
            en: `Docker keeps ${image} because a container still uses it${user ? ` (${user.name})` : ''}. Remove the container first (${code(`docker rm -f ${who}`)}), then ${code(`docker rmi ${image}`)}; ${code('docker ps -a')} lists the containers.`,
            'zh-CN': `Docker 保留了 ${image}，因为还有容器在使用它${user ? `（${user.name}）` : ''}。先删除该容器（${code(`docker rm -f ${who}`)}），再 ${code(`docker rmi ${image}`)}；${code('docker ps -a')} 列出所有容器。`,
          },
          needed
            ? {
                en: ` This lesson needs ${image}: without internet, a removed image comes back only from an image pack.`,
                'zh-CN': `本课需要 ${image}：没有网络时，删掉的镜像只能从镜像包恢复。`,
              }
            : undefined,
        ),
      };
    },
  },
  ...ALIAS_ENGINE_RULES,
  ...PORT_RULES,
  ...ISOLATION_ENGINE_RULES,
  ...TROUBLESHOOTING_ENGINE_RULES,
];
