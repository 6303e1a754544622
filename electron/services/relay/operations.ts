// What a Docker Engine API request does, read from its method and path: the
// operation ("container.create", "network.connect", "exec.start"…) and the
// object it names. The relay records requests under these names, and a
// lesson's engine conditions match them.

export interface EngineOperation {
  /** noun.verb, e.g. container.exec; "other" for what no lesson asks about. */
  op: string;
  /** The container, network, image, volume or exec the path names (a name or an id), if any. */
  target?: string;
  /** The path without its /v1.NN prefix and query. */
  path: string;
  query: URLSearchParams;
}

type Rule = [method: string, pattern: RegExp, op: string];

// Longest paths first where they share a prefix. An image name may hold slashes (docker.io/library/busybox).
const RULES: Rule[] = [
  ['*', /^\/_ping$/, 'system.ping'],
  ['GET', /^\/version$/, 'system.version'],
  ['GET', /^\/info$/, 'system.info'],
  ['GET', /^\/events$/, 'system.events'],
  ['GET', /^\/system\/df$/, 'system.df'],
  ['POST', /^\/session$/, 'system.session'],
  ['POST', /^\/grpc$/, 'system.grpc'],
  ['GET', /^\/containers\/json$/, 'container.list'],
  ['POST', /^\/containers\/create$/, 'container.create'],
  ['POST', /^\/containers\/prune$/, 'container.prune'],
  ['GET', /^\/containers\/([^/]+)\/json$/, 'container.inspect'],
  ['POST', /^\/containers\/([^/]+)\/exec$/, 'container.exec'],
  ['*', /^\/containers\/([^/]+)\/archive$/, 'container.archive'],
  ['GET', /^\/containers\/([^/]+)\/(logs|top|stats|changes|export)$/, 'container.$2'],
  ['POST', /^\/containers\/([^/]+)\/(start|stop|restart|kill|pause|unpause|wait|attach|rename|update|resize)$/, 'container.$2'],
  ['GET', /^\/containers\/([^/]+)\/attach\/ws$/, 'container.attach'],
  ['DELETE', /^\/containers\/([^/]+)$/, 'container.remove'],
  ['POST', /^\/exec\/([^/]+)\/start$/, 'exec.start'],
  ['POST', /^\/exec\/([^/]+)\/resize$/, 'exec.resize'],
  ['GET', /^\/exec\/([^/]+)\/json$/, 'exec.inspect'],
  ['GET', /^\/networks$/, 'network.list'],
  ['POST', /^\/networks\/create$/, 'network.create'],
  ['POST', /^\/networks\/prune$/, 'network.prune'],
  ['POST', /^\/networks\/([^/]+)\/(connect|disconnect)$/, 'network.$2'],
  ['GET', /^\/networks\/([^/]+)$/, 'network.inspect'],
  ['DELETE', /^\/networks\/([^/]+)$/, 'network.remove'],
  ['GET', /^\/images\/json$/, 'image.list'],
  ['POST', /^\/images\/create$/, 'image.pull'],
  ['POST', /^\/images\/load$/, 'image.load'],
  ['GET', /^\/images\/get$/, 'image.save'],
  ['POST', /^\/images\/prune$/, 'image.prune'],
  ['GET', /^\/images\/(.+)\/json$/, 'image.inspect'],
  ['GET', /^\/images\/(.+)\/history$/, 'image.history'],
  ['POST', /^\/images\/(.+)\/(tag|push)$/, 'image.$2'],
  ['DELETE', /^\/images\/(.+)$/, 'image.remove'],
  ['POST', /^\/build$/, 'image.build'],
  ['GET', /^\/volumes$/, 'volume.list'],
  ['POST', /^\/volumes\/create$/, 'volume.create'],
  ['POST', /^\/volumes\/prune$/, 'volume.prune'],
  ['GET', /^\/volumes\/([^/]+)$/, 'volume.inspect'],
  ['DELETE', /^\/volumes\/([^/]+)$/, 'volume.remove'],
];

/** Reads a request line's method and target; undefined when the target is not a path Docker could serve. */
export function engineOperation(method: string, target: string): EngineOperation | undefined {
  let url: URL;
  try {
    url = new URL(target, 'http://engine');
  } catch {
    return undefined;
  }
  if (!target.startsWith('/')) return undefined;
  let path: string;
  try {
    path = decodeURIComponent(url.pathname.replace(/^\/v\d+\.\d+(?=\/)/, ''));
  } catch {
    return undefined;
  }
  for (const [m, pattern, op] of RULES) {
    if (m !== '*' && m !== method && !(m === 'GET' && method === 'HEAD')) continue;
    const match = pattern.exec(path);
    if (!match) continue;
    const name = op.replace('$2', match[2] ?? '');
    return { op: name, path, query: url.searchParams, ...(match[1] !== undefined ? { target: match[1] } : {}) };
  }
  return { op: 'other', path, query: url.searchParams };
}

/** Creates whose JSON body carries Labels: the relay marks what a lab creates there. */
export const LABELLED_CREATES = new Set(['container.create', 'network.create', 'volume.create']);
