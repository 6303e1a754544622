import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { LabError } from '../../api/errors';

export interface HubAddress {
  host: string;
  port: number;
}

/**
 * Parses HOST:PORT ("192.168.1.10:7443", "[fe80::1]:7443", "netlab.local:7443"). There is no
 * default host: the instructor names the network the class is on, and 0.0.0.0 only when typed.
 */
export function parseHostPort(input: string): HubAddress {
  const m = /^\[([0-9A-Fa-f:.]+)\]:(\d{1,5})$/.exec(input.trim()) ?? /^([A-Za-z0-9.-]+):(\d{1,5})$/.exec(input.trim());
  const port = m ? Number(m[2]) : NaN;
  if (!m || !(port >= 0 && port <= 65535) || (m[0].startsWith('[') && isIP(m[1]!) !== 6)) {
    throw new Error(`"${input}" is not HOST:PORT. Give the address of this computer on the classroom network and a port, e.g. 192.168.1.10:7443 (or [fe80::1]:7443).`);
  }
  return { host: m[1]!, port };
}

/** parseHostPort for an address typed in the app (host a class, join one, probe a hub): its refusal is shown as is. */
export function parseTypedAddress(text: string): HubAddress {
  try {
    return parseHostPort(text);
  } catch (err) {
    throw new LabError((err as Error).message, 'invalid');
  }
}

export function formatHostPort(a: HubAddress): string {
  return isIP(a.host) === 6 ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}

/**
 * Words for the warning shown before hosting: which network can reach the class.
 * `interfaces` is injectable so the wording is tested on any machine.
 */
export function describeListenHost(host: string, interfaces: ReturnType<typeof networkInterfaces> = networkInterfaces()): string {
  if (host === '0.0.0.0' || host === '::') return 'every network this computer is on (all interfaces): anyone on any of them can try to join with the code';
  if (host === '127.0.0.1' || host === '::1' || host === 'localhost') return 'this computer only (loopback)';
  for (const [name, addrs] of Object.entries(interfaces)) {
    if (addrs?.some((a) => a.address === host)) return `the network of interface ${name} (${host}): anyone on that network can try to join with the code`;
  }
  return `the network that reaches ${host} (not an address of this computer's interfaces: check it)`;
}
