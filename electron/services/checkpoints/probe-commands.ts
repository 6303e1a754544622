// What a probe may run inside a lab container: a short, read-only set of
// commands with their read-only arguments. A probe runs without the learner
// pressing anything (when the lab opens and on every change), so it must never
// change the container or reach beyond reading its network state. Probes run
// with `docker exec` and no shell, so an argument is one word, never a second
// command. The loader refuses any other probe with file:line, and the engine
// checks again after `${ip:…}` templates are filled in.

/** A host name, an address, or a `${ip:CONTAINER@NETWORK}` template. */
const HOST = /^(?:[A-Za-z0-9][A-Za-z0-9_.:-]{0,252}|\$\{ip6?:[^}]+\})$/;
const NUMBER = /^\d{1,3}$/;
/** A path without `..`, so a prefix check means what it says. */
const PATH = /^\/[A-Za-z0-9_.,+@:/-]*$/;
const SAFE_PATH = (p: string): boolean => PATH.test(p) && !p.split('/').includes('..');

/** Files a probe may read: network state, and the name-resolution files DNS lessons look at. */
const READABLE = [/^\/sys\//, /^\/proc\/net(\/|$)/, /^\/proc\/self\/net(\/|$)/, /^\/etc\/(resolv\.conf|hosts|hostname)$/];

const IP_OBJECTS = new Set(['addr', 'address', 'a', 'link', 'l', 'route', 'r', 'ro', 'neigh', 'neighbor', 'neighbour', 'n']);
const IP_SHOW = new Set(['show', 'list', 'ls', 'lst', 'sh', 's']);
const IP_OPTIONS = new Set(['-4', '-6', '-o', '-oneline', '-br', '-brief', '-d', '-details', '-s', '-stats', '-j', '-json', '-p', '-pretty']);
/** Filter words of `ip … show` are names and selectors, never a verb that changes something. */
const IP_WORD = /^[A-Za-z0-9_.:@/-]{1,64}$/;

/** A named network namespace (`ip netns add NAME`): a name under /run/netns, never a path. */
const NETNS_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;
/** `ip netns` alone lists; so do these words, spelled in full (an abbreviation such as `a` would be add). */
const NETNS_LIST = new Set(['list', 'show', 'lst']);

/** Commands a probe may run, as the consent dialog and the docs list them. */
const PROBE_COMMANDS = ['ip (addr, link, route, neigh: show only; -n NETNS; netns list; netns exec NETNS and one of these)', 'ping -c N', 'wget -O- URL (no -T)', 'nslookup', 'cat (/sys, /proc/net, /etc/resolv.conf, /etc/hosts, /etc/hostname)', 'ls', 'ps', 'true'] as const;

type Check = (args: string[]) => string | undefined;

function checkIp(args: string[], nested: boolean): string | undefined {
  let i = 0;
  let inNetns = false;
  while (i < args.length && (args[i] ?? '').startsWith('-')) {
    const option = args[i] ?? '';
    // -n NETNS reads another named namespace: iproute2 enters it for this one process only.
    if (option === '-n' || option === '-netns') {
      if (!NETNS_NAME.test(args[i + 1] ?? '')) return `ip ${option} needs a namespace name`;
      inNetns = true;
      i += 2;
      continue;
    }
    if (!IP_OPTIONS.has(option)) return `ip option "${option}" is not allowed in a probe`;
    i++;
  }
  const object = args[i];
  if (object === 'netns' && !inNetns) return checkIpNetns(args.slice(i + 1), nested);
  if (object === undefined || !IP_OBJECTS.has(object)) return 'a probe may run ip addr, ip link, ip route, ip neigh or ip netns list only';
  const verb = args[i + 1];
  if (verb === undefined) return undefined;
  if (!IP_SHOW.has(verb)) return `ip ${object} ${verb}: a probe may only show (ip ${object} show …)`;
  const bad = args.slice(i + 2).find((w) => !IP_WORD.test(w));
  return bad === undefined ? undefined : `ip argument "${bad}" is not allowed in a probe`;
}

/**
 * `ip netns` (list) and `ip netns exec NETNS COMMAND…`, where COMMAND is itself a probe command, once:
 * iproute2 runs it in that namespace, in a mount namespace of its own that ends with it.
 */
function checkIpNetns(args: string[], nested: boolean): string | undefined {
  const [verb, name, ...command] = args;
  if (verb === undefined || (args.length === 1 && NETNS_LIST.has(verb))) return undefined;
  if (verb !== 'exec') return `ip netns ${verb}: a probe may only list namespaces or exec a probe command in one`;
  if (nested) return 'ip netns exec cannot run another ip netns exec in a probe';
  if (!NETNS_NAME.test(name ?? '')) return 'ip netns exec needs a namespace name';
  if (command.length === 0) return 'ip netns exec needs a command';
  return commandProblem(command, true);
}

function checkPing(args: string[]): string | undefined {
  let count = false;
  const targets: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const attached = /^-([cWws])(\d{1,3})$/.exec(arg);
    if (attached) {
      if (attached[1] === 'c') count = Number(attached[2]) >= 1 && Number(attached[2]) <= 10;
      continue;
    }
    if (['-c', '-W', '-w', '-s'].includes(arg)) {
      const value = args[++i] ?? '';
      if (!NUMBER.test(value)) return `ping ${arg} needs a number`;
      if (arg === '-c') count = Number(value) >= 1 && Number(value) <= 10;
      continue;
    }
    if (['-q', '-4', '-6', '-n'].includes(arg)) continue;
    if (arg.startsWith('-')) return `ping option "${arg}" is not allowed in a probe`;
    targets.push(arg);
  }
  if (!count) return 'a probe pings a bounded number of times: add -c N (1 to 10)';
  if (targets.length !== 1 || !HOST.test(targets[0] ?? '')) return 'ping takes exactly one host name or address in a probe';
  return undefined;
}

function checkWget(args: string[]): string | undefined {
  let toStdout = false;
  const urls: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '-O-' || arg === '-O' && args[i + 1] === '-') {
      toStdout = true;
      if (arg === '-O') i++;
      continue;
    }
    // Debian's busybox-static 1.35, which the offline lab images are built from, crashes on -T
    // (exit 139, before any output); the probe's own timeoutMs bounds the wait instead.
    if (arg.startsWith('-T')) return 'wget -T crashes the offline busybox image (exit 139): leave it out, the probe\'s timeoutMs bounds the wait';
    if (['-q', '-S', '--spider', '-s'].includes(arg)) continue;
    if (arg.startsWith('-')) return `wget option "${arg}" is not allowed in a probe`;
    urls.push(arg);
  }
  if (!toStdout && !args.includes('--spider') && !args.includes('-s')) return 'a probe\'s wget writes to its output only: add -O-';
  if (urls.length !== 1) return 'wget takes exactly one URL in a probe';
  const url = /^https?:\/\/([^/\s]+)(\/[^\s]*)?$/.exec(urls[0] ?? '');
  if (!url || !HOST.test((url[1] ?? '').replace(/:\d{1,5}$/, ''))) return `"${urls[0]}" is not an http(s) URL a probe may fetch`;
  return undefined;
}

/** Every command but ip, which commandProblem checks itself (it may wrap another). */
const CHECKS: Record<string, Check> = {
  ping: checkPing,
  wget: checkWget,
  nslookup: (args) =>
    args.length >= 1 && args.length <= 2 && args.every((a) => HOST.test(a)) ? undefined : 'nslookup takes a name and an optional server in a probe',
  cat: (args) => {
    if (args.length === 0) return 'cat needs a file in a probe';
    const bad = args.find((a) => !SAFE_PATH(a) || !READABLE.some((re) => re.test(a)));
    return bad === undefined ? undefined : `a probe may read /sys, /proc/net, /etc/resolv.conf, /etc/hosts and /etc/hostname only, not "${bad}"`;
  },
  ls: (args) => {
    const bad = args.find((a) => !(a.startsWith('-') ? /^-[A-Za-z1]{1,8}$/.test(a) : SAFE_PATH(a)));
    return bad === undefined ? undefined : `ls argument "${bad}" is not allowed in a probe`;
  },
  ps: (args) => (args.every((a) => /^-?[A-Za-z0-9,=]{1,64}$/.test(a)) ? undefined : 'ps takes options and column names only in a probe'),
  true: (args) => (args.length === 0 ? undefined : 'true takes no arguments'),
};

/** Why this probe is not read-only; undefined when it may run. */
export function probeCommandProblem(command: readonly string[]): string | undefined {
  return commandProblem(command, false);
}

/** `nested`: the command runs inside `ip netns exec`, which may not nest. */
function commandProblem(command: readonly string[], nested: boolean): string | undefined {
  const [program = '', ...args] = command;
  if (program === 'ip') return checkIp(args, nested);
  // Own keys only: "constructor" is no command.
  const check = Object.hasOwn(CHECKS, program) ? CHECKS[program] : undefined;
  if (!check) return `"${program}" is not a command a probe may run (allowed: ${PROBE_COMMANDS.join('; ')})`;
  return check(args);
}
