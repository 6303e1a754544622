// The coach's rules for network aliases (lesson 11): an alias asked for on the
// default bridge, and the two flags that are easy to swap (`docker run
// --network-alias`, `docker network connect --alias`). They explain and never
// decide a checkpoint. The docker CLI (from 25 on) refuses an alias on the
// default bridge itself, before any engine call, so that mistake has a command
// rule (bash, zsh) beside the engine rule (older CLIs, Compose, scripts).
import type { Localized } from '../../api/types';
import { code } from './explain';
import { flagValue, requestedNetwork } from './command-line';
import type { EngineRule } from './engine-rules';
import type { Rule, RuleContext } from './rules';

/** How Docker words the refusal (20.10: "…supported only for containers in user defined networks"; 25+: "…only supported for user-defined networks"). */
const ALIAS_REFUSED = /network-scoped alias(?:es)? (?:is|are) (?:supported only|only supported) for (?:containers in )?user[- ]defined networks/i;

function aliasOnBridge(name: string): Localized {
  return {
    en: `Docker refused to create ${name}: a network alias only exists on a user-defined network, and this container would have started on the default bridge. Create a network (${code('docker network create alias_net')}) and start it there: ${code(`docker run -di --name ${name} --net alias_net --network-alias web busybox`)}.`,
    'zh-CN': `Docker 拒绝创建 ${name}：网络别名只存在于用户自定义网络上，而这个容器原本会落在默认 bridge 上。先创建一个网络（${code('docker network create alias_net')}），再在上面启动它：${code(`docker run -di --name ${name} --net alias_net --network-alias web busybox`)}。`,
  };
}

export const ALIAS_ENGINE_RULES: readonly EngineRule[] = [
  {
    id: 'alias-on-default-bridge',
    check(ctx) {
      const { record, error } = ctx;
      if (record.op !== 'container.create' || !ALIAS_REFUSED.test(error)) return undefined;
      const name = record.query.name ?? 'NAME';
      return { subject: name, message: aliasOnBridge(name) };
    },
  },
];

const failed = (ctx: RuleContext): boolean => ctx.exitCode !== undefined && ctx.exitCode !== 0;

export const ALIAS_RULES: readonly Rule[] = [
  {
    id: 'alias-on-default-bridge-cli',
    mistake: 'alias-on-default-bridge',
    check(ctx) {
      const cmd = ctx.docker;
      if (!cmd || (cmd.action !== 'run' && cmd.action !== 'create') || !failed(ctx)) return undefined;
      if (!cmd.flags.has('network-alias') || !['bridge', 'default'].includes(requestedNetwork(cmd))) return undefined;
      return aliasOnBridge(flagValue(cmd, 'name') ?? 'NAME');
    },
  },
  {
    id: 'alias-flag-on-run',
    check(ctx) {
      const cmd = ctx.docker;
      if (!cmd || (cmd.action !== 'run' && cmd.action !== 'create') || !cmd.flags.has('alias') || !failed(ctx)) return undefined;
      return {
        en: `${code(`docker ${cmd.action}`)} has no ${code('--alias')} option: there it is ${code('--network-alias NAME')} (or ${code('--net-alias')}). ${code('--alias')} belongs to ${code('docker network connect')}.`,
        'zh-CN': `${code(`docker ${cmd.action}`)} 没有 ${code('--alias')} 选项，这里要写 ${code('--network-alias NAME')}（或 ${code('--net-alias')}）。${code('--alias')} 是 ${code('docker network connect')} 的选项。`,
      };
    },
  },
  {
    id: 'network-alias-flag-on-connect',
    check(ctx) {
      const cmd = ctx.docker;
      if (cmd?.action !== 'network connect' || !failed(ctx)) return undefined;
      if (!cmd.flags.has('network-alias') && !cmd.flags.has('net-alias')) return undefined;
      // connect does not know the option, so its value was read as the first positional word.
      const given = flagValue(cmd, 'network-alias') ?? flagValue(cmd, 'net-alias');
      const words = given === 'true' && cmd.args.length === 3 ? cmd.args : [given ?? 'NAME', ...cmd.args];
      const [alias, network, container] = words;
      const example = `docker network connect --alias ${alias ?? 'NAME'} ${network ?? 'NETWORK'} ${container ?? 'CONTAINER'}`;
      return {
        en: `${code('docker network connect')} takes ${code('--alias NAME')}, not ${code('--network-alias')} (that one is for ${code('docker run')}): ${code(example)}.`,
        'zh-CN': `${code('docker network connect')} 用的是 ${code('--alias NAME')}，不是 ${code('--network-alias')}（后者属于 ${code('docker run')}）：${code(example)}。`,
      };
    },
  },
];
