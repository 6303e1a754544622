// The coach's rules for Compose (lesson 10). Compose v2 (`docker compose`) and
// v1 (`docker-compose`) make the same engine calls, and both label what they
// create with com.docker.compose.*, so the engine rule reads those labels:
// whichever program the learner has, and in any shell. They explain and never
// decide a checkpoint.
import type { ContainerNode } from '../../api/types';
import type { EngineRule } from './engine-rules';
import { SHELL_IMAGES, code } from './explain';
import type { Rule } from './rules';

const NAME_IN_USE = /The container name "\/?([^"]+)" is already in use/;

/** The Compose service a create was for, from the labels Compose put in its body. */
function composeService(body: unknown): string | undefined {
  const labels = (body as { Labels?: unknown } | undefined)?.Labels;
  if (typeof labels !== 'object' || labels === null) return undefined;
  const service = (labels as Record<string, unknown>)['com.docker.compose.service'];
  return typeof service === 'string' ? service : undefined;
}

export const COMPOSE_ENGINE_RULES: readonly EngineRule[] = [
  {
    // Before the general name-in-use rule: Compose does not adopt a container it did not create.
    id: 'compose-name-taken',
    mistake: 'name-in-use',
    check(ctx) {
      const { record, error } = ctx;
      const name = NAME_IN_USE.exec(error)?.[1];
      const service = composeService(record.body);
      if (record.op !== 'container.create' || record.status !== 409 || !name || !service) return undefined;
      return {
        subject: name,
        message: {
          en: `Compose wanted to create ${name} for the service ${service}, but another container already has that name, one Compose did not create (a ${code('docker run')} from earlier, or another project's). Compose never takes over such a container: remove it with ${code(`docker rm -f ${name}`)}, then run ${code('docker compose up -d')} again.`,
          'zh-CN': `Compose 想为服务 ${service} 创建 ${name}，但已经有一个同名容器，而且不是 Compose 创建的（可能是之前用 ${code('docker run')} 启动的，或者属于另一个项目）。Compose 不会接管这样的容器：先用 ${code(`docker rm -f ${name}`)} 删除它，再执行一次 ${code('docker compose up -d')}。`,
        },
      };
    },
  },
];

/** Shell containers the lab made that are no longer running (busybox without stdin_open exits at once). */
function exitedShells(containers: readonly ContainerNode[]): ContainerNode[] {
  return containers.filter((c) => c.createdByLab && (c.state === 'exited' || c.state === 'created') && SHELL_IMAGES.test(c.image));
}

export const COMPOSE_RULES: readonly Rule[] = [
  {
    id: 'compose-shell-exited',
    check(ctx) {
      const action = ctx.docker?.action ?? '';
      if (!/^compose (?:up|start|restart)$/.test(action) || ctx.exitCode !== 0) return undefined;
      const stopped = exitedShells(ctx.topology.containers);
      if (stopped.length === 0) return undefined;
      const names = stopped.map((c) => c.name).join(', ');
      return {
        en: `${names} stopped right after starting: a busybox container runs only a shell, which exits when it has no input. In compose.yaml, give the service ${code('stdin_open: true')} (Compose's ${code('-i')}), then run ${code('docker compose up -d')} again.`,
        'zh-CN': `${names} 刚启动就停止了：busybox 容器里只运行一个 shell，没有输入时它就会退出。在 compose.yaml 里给这个服务加上 ${code('stdin_open: true')}（相当于 Compose 版的 ${code('-i')}），再执行一次 ${code('docker compose up -d')}。`,
      };
    },
  },
  {
    id: 'compose-v1-missing',
    check(ctx) {
      const program = ctx.words[0];
      if (program === undefined || !/(?:^|\/)docker-compose$/.test(program) || ctx.exitCode !== 127) return undefined;
      const rest = ctx.words.slice(1).join(' ');
      return {
        en: `There is no docker-compose program here: current Docker ships Compose v2 as part of the docker command, spelled with a space: ${code(`docker compose ${rest}`.trim())}.`,
        'zh-CN': `这里没有 docker-compose 这个程序：新版 Docker 把 Compose v2 做成了 docker 命令的一部分，中间是空格：${code(`docker compose ${rest}`.trim())}。`,
      };
    },
  },
];
