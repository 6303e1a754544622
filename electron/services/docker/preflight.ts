// Can NetLab talk to Docker, and are the lesson images there? Every failure
// becomes an EngineProblem with advice the learner can act on, in each locale.
import type Dockerode from 'dockerode';
import type { DoctorFindings, EngineProblem, Localized, Preflight } from '../../api/types';
import type { EngineInfo } from './doctor';
import { runDoctor } from './doctor-probe';

class PreflightTimeout extends Error {
  override name = 'PreflightTimeout';
}

export async function runPreflight(
  docker: Dockerode,
  endpoint: string,
  images: string[],
  timeoutMs = 3000,
  /** Where the endpoint search looked (endpoint.ts), named in the advice when the engine does not answer. */
  tried: readonly string[] = [],
): Promise<Preflight> {
  let version: Awaited<ReturnType<Dockerode['version']>>;
  let info: EngineInfo;
  try {
    [version, info] = await withTimeout(Promise.all([docker.version(), docker.info() as Promise<EngineInfo>]), timeoutMs);
  } catch (err) {
    return {
      reachable: false,
      endpoint,
      problem: classifyEngineError(err, endpoint, tried),
      images: images.map((name) => ({ name, present: false })),
    };
  }

  const os = typeof info.OperatingSystem === 'string' ? info.OperatingSystem : undefined;
  const present = await Promise.all(images.map((name) => imagePresent(docker, name, timeoutMs)));
  return {
    reachable: true,
    endpoint,
    version: version.Version,
    apiVersion: version.ApiVersion,
    os,
    // Docker Desktop runs the engine in a VM: docker0 is not on the host.
    kind: os?.includes('Docker Desktop') ? 'desktop' : 'engine',
    images: images.map((name, i) => ({ name, present: present[i] === true })),
  };
}

/**
 * The lab doctor's examination: the engine's own description, then its probes, with a lab
 * image that is already here (it never pulls). Undefined while the engine cannot be reached.
 * Apart from the preflight, so the preflight answers at once and the findings follow.
 */
export async function examineEngine(docker: Dockerode, endpoint: string, images: string[], timeoutMs = 3000): Promise<DoctorFindings | undefined> {
  let version: Awaited<ReturnType<Dockerode['version']>>;
  let info: EngineInfo;
  try {
    [version, info] = await withTimeout(Promise.all([docker.version(), docker.info() as Promise<EngineInfo>]), timeoutMs);
  } catch {
    return undefined;
  }
  const present = await Promise.all(images.map((name) => imagePresent(docker, name, timeoutMs)));
  return runDoctor(docker, { info, version, endpoint, image: probeImage(images, present), timeoutMs });
}

/**
 * The lab's busybox, when present, for the doctor's probe. Only busybox: an image without
 * `ls` would fail to start, and that must not read as "host networking refused".
 */
export function probeImage(images: readonly string[], present: readonly boolean[]): string | undefined {
  return images.find((name, i) => present[i] === true && /(^|\/)busybox(:[\w.-]+)?(@sha256:[0-9a-f]+)?$/.test(name));
}

/** `busybox` and `busybox:latest` are the same image; digests and explicit tags stay as given. */
export function normalizeImageName(name: string): string {
  if (name.includes('@')) return name;
  const lastSegment = name.slice(name.lastIndexOf('/') + 1);
  return lastSegment.includes(':') ? name : `${name}:latest`;
}

async function imagePresent(docker: Dockerode, name: string, timeoutMs: number): Promise<boolean> {
  try {
    await withTimeout(docker.getImage(normalizeImageName(name)).inspect(), timeoutMs);
    return true;
  } catch {
    return false;
  }
}

/** Turns a connection error into a problem code with advice. */
export function classifyEngineError(err: unknown, endpoint: string, tried: readonly string[] = []): EngineProblem {
  const code = errorCode(err);
  const message = err instanceof Error ? err.message : String(err);

  if (err instanceof PreflightTimeout || code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT') {
    return {
      code: 'timeout',
      message: `Docker at ${endpoint} did not answer in time`,
      advice: {
        en: 'The Docker engine is not answering. It may still be starting: wait a moment and check again. If it stays stuck, restart Docker (sudo systemctl restart docker, or quit and reopen Docker Desktop).',
        'zh-CN': 'Docker 引擎没有响应。它可能还在启动中：请稍等片刻后重新检查。如果一直卡住，请重启 Docker（sudo systemctl restart docker，或退出并重新打开 Docker Desktop）。',
      },
    };
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return {
      code: 'permission',
      message: `Permission denied on ${endpoint}`,
      advice: {
        en: 'Your user may not use the Docker socket. Add yourself to the docker group with `sudo usermod -aG docker $USER`, then log out and back in (or restart) and check again.',
        'zh-CN': '当前用户没有权限访问 Docker 套接字。运行 `sudo usermod -aG docker $USER` 把自己加入 docker 用户组，然后注销并重新登录（或重启电脑）后再检查。',
      },
    };
  }
  if (code === 'ENOENT' || code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EPIPE') {
    return {
      code: 'not-running',
      message: `Docker is not running at ${endpoint} (${code})`,
      advice: namingTried(
        {
          en: 'Docker does not seem to be running. Start it with `sudo systemctl start docker` (Linux) or open Docker Desktop (or start Colima, OrbStack or Rancher Desktop). If Docker is not installed yet, install Docker Engine or Docker Desktop first, then check again.',
          'zh-CN': 'Docker 似乎没有运行。请用 `sudo systemctl start docker` 启动它（Linux），或打开 Docker Desktop（或启动 Colima、OrbStack、Rancher Desktop）。如果还没有安装 Docker，请先安装 Docker Engine 或 Docker Desktop，然后重新检查。',
        },
        tried,
      ),
    };
  }
  if (code === 'ENOTFOUND' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EAI_AGAIN') {
    return {
      code: 'unreachable',
      message: `Cannot reach Docker at ${endpoint} (${code})`,
      advice: {
        en: 'The Docker host cannot be reached over the network. Check DOCKER_HOST or your docker context (`docker context ls`) and your network connection.',
        'zh-CN': '无法通过网络连接到 Docker 主机。请检查 DOCKER_HOST 或 docker 上下文（`docker context ls`）以及网络连接。',
      },
    };
  }
  return {
    code: 'unknown',
    message: `Docker at ${endpoint} failed: ${message}`,
    advice: namingTried(
      {
        en: 'NetLab could not talk to Docker. Check that `docker info` works in a terminal, then check again.',
        'zh-CN': 'NetLab 无法与 Docker 通信。请先确认在终端中运行 `docker info` 正常，然后重新检查。',
      },
      tried,
    ),
  };
}

/** The advice, followed by every place the endpoint search looked (none: the advice alone). */
function namingTried(advice: Localized, tried: readonly string[]): Localized {
  if (tried.length === 0) return advice;
  return {
    en: `${advice.en} NetLab looked for Docker at: ${tried.join('; ')}. Set DOCKER_HOST, or choose a docker context or socket in Settings, if your engine is elsewhere.`,
    'zh-CN': `${advice['zh-CN']} NetLab 查找过这些位置：${tried.join('；')}。如果你的 Docker 引擎在别处，请设置 DOCKER_HOST，或在设置中选择 docker 上下文或套接字。`,
  };
}

function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  // Node wraps some socket errors (AggregateError for dual-stack connects).
  const inner = (err as { errors?: unknown }).errors;
  if (Array.isArray(inner) && inner.length > 0) return errorCode(inner[0]);
  return undefined;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new PreflightTimeout(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}
