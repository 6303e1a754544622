// The coach's engine rules for publishing ports (lesson 9): a host port that
// is already taken. `docker run -p H:C` creates the container, then its start
// fails (500) and leaves it created; the engine words the clash three ways:
//   Docker 20.10+, another container holds it: "Bind for 0.0.0.0:18080 failed: port is already allocated"
//   userland proxy, a program outside Docker:  "listen tcp4 0.0.0.0:18080: bind: address already in use"
//   Docker 28+:  "failed to bind host port for 0.0.0.0:18080:172.17.0.2:80/tcp: address already in use"
import type { Localized } from '../../api/types';
import type { EngineRule } from './engine-rules';
import { code, join, leftBehind } from './explain';
import { findContainer } from './topology-view';

/** The host address and port a start could not bind, and whether a container holds it (allocated) or something else. */
export function takenPort(error: string): { address: string; port: string; allocated: boolean } | undefined {
  const allocated = /Bind for (\S+):(\d+) failed: port is already allocated/.exec(error);
  if (allocated?.[1] && allocated[2]) return { address: allocated[1], port: allocated[2], allocated: true };
  const inUse =
    /listen (?:tcp|udp)[46]? (\S+):(\d+): bind: address already in use/.exec(error) ??
    /failed to bind host port for (\S+?):(\d+):\S*: address already in use/.exec(error);
  if (inUse?.[1] && inUse[2]) return { address: inUse[1], port: inUse[2], allocated: false };
  return undefined;
}

/** `0.0.0.0` and `::` are every address; anything else is one address of the host. */
function where(address: string): Localized {
  const all = address === '0.0.0.0' || address === '::' || address === '[::]' || address === '';
  return all ? { en: 'on the host', 'zh-CN': '主机上' } : { en: `on the host's address ${address}`, 'zh-CN': `主机地址 ${address} 上` };
}

/** The port after the clash's: a suggestion, never a check that it is free. */
const next = (port: string): string => String(Math.min(Number(port) + 1, 65535));

export const PORT_RULES: readonly EngineRule[] = [
  {
    id: 'port-taken',
    check(ctx) {
      const { record, error } = ctx;
      if (record.op !== 'container.start' || record.status < 400) return undefined;
      const taken = takenPort(error);
      if (!taken) return undefined;
      const { port } = taken;
      const at = where(taken.address);
      const endpoint = /on endpoint (\S+) \(/.exec(error)?.[1];
      const node = findContainer(ctx.topology, record.target ?? '') ?? (endpoint ? findContainer(ctx.topology, endpoint) : undefined);
      const known = node?.name ?? endpoint;
      const name = known ?? 'the container';
      const cause: Localized = taken.allocated
        ? {
            en: `Host port ${port} is already published by another container ${at.en}, so Docker could not start ${name}: one host address and port lead to one place only. ${code('docker ps')} shows which container has ${code(`:${port}->`)} in its PORTS column.`,
            'zh-CN': `${at['zh-CN']}的 ${port} 端口已被另一个容器发布，所以 Docker 无法启动 ${name}：同一个主机地址加端口只能通向一个地方。用 ${code('docker ps')} 查看哪个容器的 PORTS 列里有 ${code(`:${port}->`)}。`,
          }
        : {
            en: `Something ${at.en} already listens on port ${port}, so Docker could not start ${name}. It may be a program outside Docker (${code(`ss -ltnp`)} on Linux or ${code(`lsof -i :${port}`)} on macOS names it), or a container that publishes ${port} on one address only, such as 127.0.0.1 (${code('docker ps')} shows it).`,
            'zh-CN': `${at['zh-CN']}已经有程序在监听 ${port} 端口，所以 Docker 无法启动 ${name}。占用者可能是 Docker 之外的程序（Linux 上用 ${code('ss -ltnp')}、macOS 上用 ${code(`lsof -i :${port}`)} 可以查到），也可能是只在某个地址（如 127.0.0.1）上发布了 ${port} 的容器（用 ${code('docker ps')} 查看）。`,
          };
      const fix: Localized = {
        en: ` Choose a free host port, e.g. ${code(`-p ${next(port)}:…`)}, or stop whatever holds ${port}.`,
        'zh-CN': `换一个空闲的主机端口，例如 ${code(`-p ${next(port)}:…`)}，或者停掉占用 ${port} 的程序或容器。`,
      };
      // The failed run left its container created; started again, it asks for the same port.
      const stays = known !== undefined && (node === undefined || node.state === 'created');
      return { subject: `${name} ${port}`, message: join(join(cause, fix), stays ? leftBehind(known) : undefined) };
    },
  },
];
