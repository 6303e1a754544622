// Reads what the learner typed: a small shell tokenizer (quotes, escapes,
// $( ) and backticks kept whole, ; && || | and newlines between commands) and
// a docker CLI parser that knows which flags take a value, so `-dit`,
// `--net=host`, `--network host`, `-p8080:80` and `docker container run` all
// come out the same. It reads; it never runs anything.

/** One simple command of a command line, as words with the quotes removed. */
interface SimpleCommand {
  words: string[];
  /** The last command of the line: the record's exit code is its own (or an earlier `&&` step's). */
  last: boolean;
}

/** A docker invocation with its options resolved. */
export interface DockerCommand {
  /** Normalised action: 'run', 'create', 'exec', 'rm', 'start', 'network create', 'network rm', … */
  action: string;
  /** Options by their long name without dashes ('network', 'publish', 'detach', …), every value in order. */
  flags: Map<string, string[]>;
  /** Positional words: for run/create the image then the container's command; for exec the container then its command. */
  args: string[];
  last: boolean;
}

const OPERATORS = ['&&', '||', ';;', ';', '|', '&', '\n'];

/**
 * Splits a command line into simple commands. Substitutions (`$( )`, backticks)
 * stay one opaque word; a lone `#` at a word start begins a comment.
 */
export function splitCommandLine(line: string): SimpleCommand[] {
  const commands: string[][] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  const endWord = (): void => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  const endCommand = (): void => {
    endWord();
    if (words.length > 0) commands.push(words);
    words = [];
  };
  let i = 0;
  while (i < line.length) {
    const ch = line[i] as string;
    if (ch === "'") {
      const close = line.indexOf("'", i + 1);
      const end = close < 0 ? line.length : close;
      word += line.slice(i + 1, end);
      inWord = true;
      i = end + 1;
      continue;
    }
    if (ch === '"') {
      i++;
      inWord = true;
      while (i < line.length && line[i] !== '"') {
        const c = line[i] as string;
        if (c === '\\' && i + 1 < line.length && '"\\$`\n'.includes(line[i + 1] as string)) {
          if (line[i + 1] !== '\n') word += line[i + 1];
          i += 2;
        } else if ((c === '$' && line[i + 1] === '(') || c === '`') {
          const end = substitutionEnd(line, i);
          word += line.slice(i, end);
          i = end;
        } else {
          word += c;
          i++;
        }
      }
      i++;
      continue;
    }
    if (ch === '\\') {
      if (line[i + 1] === '\n') {
        i += 2;
        continue;
      }
      if (i + 1 < line.length) word += line[i + 1];
      inWord = true;
      i += 2;
      continue;
    }
    if ((ch === '$' && line[i + 1] === '(') || ch === '`') {
      const end = substitutionEnd(line, i);
      word += line.slice(i, end);
      inWord = true;
      i = end;
      continue;
    }
    if (ch === '#' && !inWord) {
      while (i < line.length && line[i] !== '\n') i++;
      continue;
    }
    const op = OPERATORS.find((o) => line.startsWith(o, i));
    if (op) {
      endCommand();
      i += op.length;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r') {
      endWord();
      i++;
      continue;
    }
    word += ch;
    inWord = true;
    i++;
  }
  endCommand();
  return commands.map((w, index) => ({ words: w, last: index === commands.length - 1 }));
}

/** Where a `$( … )` or backtick substitution starting at `start` ends (exclusive). */
function substitutionEnd(line: string, start: number): number {
  if (line[start] === '`') {
    const close = line.indexOf('`', start + 1);
    return close < 0 ? line.length : close + 1;
  }
  let depth = 0;
  let i = start + 1;
  while (i < line.length) {
    const ch = line[i];
    if (ch === "'") {
      const close = line.indexOf("'", i + 1);
      i = close < 0 ? line.length : close + 1;
      continue;
    }
    if (ch === '\\') {
      i += 2;
      continue;
    }
    if (ch === '(') depth++;
    else if (ch === ')') {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  return line.length;
}

// ---- docker -------------------------------------------------------------------

interface FlagSpec {
  /** Long names (no dashes) that take a value. */
  values: readonly string[];
  /** Short letter → long name. */
  short: Readonly<Record<string, string>>;
  /** Other spellings → long name. */
  aliases?: Readonly<Record<string, string>>;
  /** Options stop at the first positional word (run, create, exec). */
  stopAtPositional: boolean;
}

const GLOBAL: FlagSpec = {
  values: ['host', 'context', 'config', 'log-level', 'tlscacert', 'tlscert', 'tlskey'],
  short: { H: 'host', c: 'context', l: 'log-level', D: 'debug', v: 'version' },
  stopAtPositional: true,
};

const RUN: FlagSpec = {
  values: [
    'name', 'network', 'publish', 'env', 'env-file', 'volume', 'mount', 'workdir', 'user', 'entrypoint', 'hostname',
    'ip', 'ip6', 'network-alias', 'dns', 'dns-search', 'dns-option', 'add-host', 'label', 'label-file', 'restart',
    'cpus', 'cpu-shares', 'memory', 'memory-swap', 'link', 'expose', 'platform', 'pull', 'log-driver', 'log-opt',
    'cap-add', 'cap-drop', 'device', 'ulimit', 'shm-size', 'cidfile', 'stop-signal', 'stop-timeout', 'health-cmd',
    'health-interval', 'health-retries', 'health-timeout', 'health-start-period', 'mac-address', 'pid', 'ipc', 'uts',
    'userns', 'security-opt', 'tmpfs', 'volumes-from', 'attach', 'sysctl', 'runtime', 'cgroupns', 'cgroup-parent',
    'detach-keys', 'gpus', 'domainname', 'isolation', 'storage-opt', 'group-add', 'oom-score-adj', 'pids-limit',
  ],
  short: {
    d: 'detach', i: 'interactive', t: 'tty', p: 'publish', P: 'publish-all', e: 'env', v: 'volume', w: 'workdir',
    u: 'user', h: 'hostname', l: 'label', m: 'memory', a: 'attach', c: 'cpu-shares', q: 'quiet',
  },
  aliases: { net: 'network', 'net-alias': 'network-alias' },
  stopAtPositional: true,
};

const EXEC: FlagSpec = {
  values: ['env', 'env-file', 'user', 'workdir', 'detach-keys'],
  short: { d: 'detach', i: 'interactive', t: 'tty', e: 'env', u: 'user', w: 'workdir' },
  stopAtPositional: true,
};

const NETWORK_CREATE: FlagSpec = {
  values: ['driver', 'subnet', 'gateway', 'ip-range', 'aux-address', 'opt', 'label', 'ipam-driver', 'ipam-opt', 'scope', 'config-from'],
  short: { d: 'driver', o: 'opt' },
  stopAtPositional: false,
};

const NETWORK_CONNECT: FlagSpec = {
  values: ['ip', 'ip6', 'alias', 'link', 'link-local-ip', 'driver-opt'],
  short: {},
  stopAtPositional: false,
};

const PLAIN: FlagSpec = {
  values: ['time', 'signal', 'filter', 'format', 'detach-keys'],
  short: { f: 'force', v: 'volumes', l: 'link', t: 'time', s: 'signal', a: 'all', q: 'quiet' },
  stopAtPositional: false,
};

/** `docker <word>` → normalised action; `docker container <word>` uses the same table. */
const CONTAINER_ACTIONS: Readonly<Record<string, { action: string; spec: FlagSpec }>> = {
  run: { action: 'run', spec: RUN },
  create: { action: 'create', spec: RUN },
  exec: { action: 'exec', spec: EXEC },
  rm: { action: 'rm', spec: PLAIN },
  remove: { action: 'rm', spec: PLAIN },
  start: { action: 'start', spec: { ...PLAIN, short: { a: 'attach', i: 'interactive' } } },
  stop: { action: 'stop', spec: PLAIN },
  restart: { action: 'restart', spec: PLAIN },
  kill: { action: 'kill', spec: PLAIN },
  inspect: { action: 'inspect', spec: PLAIN },
  ps: { action: 'ps', spec: PLAIN },
  ls: { action: 'ps', spec: PLAIN },
};

const NETWORK_ACTIONS: Readonly<Record<string, { action: string; spec: FlagSpec }>> = {
  create: { action: 'network create', spec: NETWORK_CREATE },
  rm: { action: 'network rm', spec: PLAIN },
  remove: { action: 'network rm', spec: PLAIN },
  connect: { action: 'network connect', spec: NETWORK_CONNECT },
  disconnect: { action: 'network disconnect', spec: PLAIN },
  inspect: { action: 'network inspect', spec: PLAIN },
  ls: { action: 'network ls', spec: PLAIN },
  list: { action: 'network ls', spec: PLAIN },
  prune: { action: 'network prune', spec: PLAIN },
};

/** Words that may stand before `docker` without changing what it does. */
const PREFIXES = new Set(['sudo', 'command', 'time', 'exec', 'nohup']);

/** Every docker invocation in a command line (not those inside substitutions). */
export function parseDockerCommands(line: string): DockerCommand[] {
  const out: DockerCommand[] = [];
  for (const simple of splitCommandLine(line)) {
    const parsed = parseDocker(simple.words, simple.last);
    if (parsed) out.push(parsed);
  }
  return out;
}

/** Parses one simple command's words when it is a docker invocation. */
export function parseDocker(words: readonly string[], last = true): DockerCommand | undefined {
  let i = 0;
  // Environment assignments and harmless prefixes (sudo -E docker …).
  while (i < words.length) {
    const w = words[i] as string;
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(w) || PREFIXES.has(w)) i++;
    else if (i > 0 && words[i - 1] === 'sudo' && w.startsWith('-')) i++;
    else break;
  }
  const program = words[i];
  if (program === undefined || !/(^|\/)docker$/.test(program)) return undefined;
  const global = readOptions(words.slice(i + 1), GLOBAL);
  const [first, second, ...rest] = global.args;
  if (first === undefined) return undefined;
  let entry: { action: string; spec: FlagSpec } | undefined;
  let tail: string[];
  if (first === 'network') {
    entry = second === undefined ? undefined : NETWORK_ACTIONS[second];
    tail = rest;
  } else if (first === 'container') {
    entry = second === undefined ? undefined : CONTAINER_ACTIONS[second];
    tail = rest;
  } else {
    entry = CONTAINER_ACTIONS[first];
    tail = second === undefined ? [] : [second, ...rest];
  }
  if (!entry) return { action: [first, second].filter((w) => w !== undefined).join(' '), flags: new Map(), args: [], last };
  // readOptions already consumed the words after the first positional as args.
  const parsed = readOptions(tail, entry.spec);
  return { action: entry.action, flags: parsed.flags, args: parsed.args, last };
}

function readOptions(words: readonly string[], spec: FlagSpec): { flags: Map<string, string[]>; args: string[] } {
  const flags = new Map<string, string[]>();
  const args: string[] = [];
  const add = (name: string, value: string): void => {
    const list = flags.get(name) ?? [];
    list.push(value);
    flags.set(name, list);
  };
  const canonical = (name: string): string => spec.aliases?.[name] ?? name;
  let i = 0;
  while (i < words.length) {
    const w = words[i] as string;
    if (w === '--') {
      args.push(...words.slice(i + 1));
      break;
    }
    if (w.startsWith('--') && w.length > 2) {
      const eq = w.indexOf('=');
      const name = canonical(eq < 0 ? w.slice(2) : w.slice(2, eq));
      if (eq >= 0) add(name, w.slice(eq + 1));
      else if (spec.values.includes(name)) {
        add(name, words[i + 1] ?? '');
        i++;
      } else add(name, 'true');
      i++;
      continue;
    }
    if (w.startsWith('-') && w.length > 1) {
      // A bundle: -dit, -dp 8080:80, -p8080:80, -e=A=1.
      for (let k = 1; k < w.length; k++) {
        const letter = w[k] as string;
        const name = spec.short[letter] ?? letter;
        if (spec.values.includes(name)) {
          const inline = w.slice(k + 1).replace(/^=/, '');
          if (inline !== '') add(name, inline);
          else {
            add(name, words[i + 1] ?? '');
            i++;
          }
          break;
        }
        add(name, 'true');
      }
      i++;
      continue;
    }
    if (spec.stopAtPositional) {
      args.push(...words.slice(i));
      break;
    }
    args.push(w);
    i++;
  }
  return { flags, args };
}

/** The last value given for an option. */
export function flagValue(cmd: DockerCommand, name: string): string | undefined {
  const values = cmd.flags.get(name);
  return values?.[values.length - 1];
}

/** Whether a boolean option is on (`-d`, `--detach`, `--detach=true`; not `--detach=false`). */
export function flagOn(cmd: DockerCommand, name: string): boolean {
  const value = flagValue(cmd, name);
  return value !== undefined && value !== 'false' && value !== '0';
}

/** run/create: the network mode asked for ('bridge' when none was given). */
export function requestedNetwork(cmd: DockerCommand): string {
  return flagValue(cmd, 'network') ?? 'bridge';
}

/** ping's own options that take a value (busybox and iputils). */
const PING_VALUES = new Set(['c', 's', 'i', 't', 'I', 'm', 'W', 'w', 'p', 'Q', 'l', 'M', 'T', 'F']);

interface PingCommand {
  target?: string;
  /** -c or -w: ping stops by itself. */
  bounded: boolean;
}

/** Reads a `ping …` word list (the command inside docker exec, or on the host). */
export function parsePing(words: readonly string[]): PingCommand | undefined {
  const [program, ...rest] = words;
  if (program === undefined || !/(^|\/)ping6?$/.test(program)) return undefined;
  let target: string | undefined;
  let bounded = false;
  for (let i = 0; i < rest.length; i++) {
    const w = rest[i] as string;
    if (w.startsWith('-') && w.length > 1) {
      for (let k = 1; k < w.length; k++) {
        const letter = w[k] as string;
        if (letter === 'c' || letter === 'w') bounded = true;
        if (PING_VALUES.has(letter)) {
          if (k === w.length - 1) i++;
          break;
        }
      }
      continue;
    }
    target = w;
  }
  return target === undefined ? { bounded } : { target, bounded };
}

/** What a command run in a container aims at: the program (`ping`, `wget`, `curl`, `nslookup`) and the host it names. */
export interface RequestTarget {
  program: string;
  host: string;
  /** For wget and curl: the URL as typed. */
  url?: string;
}

/**
 * The host a `ping HOST`, `wget URL` or `curl URL` aims at (also behind busybox's
 * `timeout N`, how the lessons bound a wait); with `lookups`, `nslookup HOST` too.
 */
export function requestTarget(words: readonly string[], options: { lookups?: boolean } = {}): RequestTarget | undefined {
  const inner = /(^|\/)timeout$/.test(words[0] ?? '') && /^\d+[smh]?$/.test(words[1] ?? '') ? words.slice(2) : words;
  const [program, ...rest] = inner;
  if (program === undefined) return undefined;
  const ping = parsePing(inner);
  if (ping) return ping.target ? { program: 'ping', host: ping.target } : undefined;
  const name = program.replace(/^.*\//, '');
  if (name === 'wget' || name === 'curl') {
    const url = rest.find((w) => /^https?:\/\//.test(w));
    const host = url ? /^https?:\/\/(\[[^\]]+\]|[^/:]+)/.exec(url)?.[1] : undefined;
    return url && host ? { program: name, host, url } : undefined;
  }
  if (name === 'nslookup' && options.lookups) {
    // busybox: nslookup [-type=…] [-debug] HOST [SERVER]
    const host = rest.find((w) => !w.startsWith('-'));
    return host ? { program: name, host } : undefined;
  }
  return undefined;
}
