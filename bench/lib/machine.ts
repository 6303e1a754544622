// The machine a run happened on, for results.json.
import { execFile } from 'node:child_process';
import { cpus, release, totalmem, type } from 'node:os';
import { promisify } from 'node:util';

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memGiB: number;
  os: string;
  node: string;
  docker: string;
}

export async function machineInfo(): Promise<MachineInfo> {
  let docker = 'unavailable';
  try {
    const { stdout } = await promisify(execFile)('docker', ['version', '--format', '{{.Server.Version}} (API {{.Server.APIVersion}})']);
    docker = stdout.trim();
  } catch {
    // reported as unavailable
  }
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    memGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    os: `${type()} ${release()}`,
    node: process.version,
    docker,
  };
}
