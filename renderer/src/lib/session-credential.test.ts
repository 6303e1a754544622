import { afterEach, describe, expect, it } from 'vitest';
import { API_PROTOCOL } from '../../../electron/api/ws-protocol';
import { askOtherTabs, CREDENTIAL_KEY, createSocketAuth, takeLaunchCode, type StorageLike } from './session-credential';

const CODE = 'launchCode0123456789_-ABC';
const CREDENTIAL = 'sessionCredential0123456789-_xyz';

function memoryStorage(initial: Record<string, string> = {}): StorageLike & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial));
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}

// Node's BroadcastChannel delivers between instances of one name, as tabs of one origin.
const channels: BroadcastChannel[] = [];
function tab(name: string): BroadcastChannel {
  const channel = new BroadcastChannel(name);
  channels.push(channel);
  return channel;
}
afterEach(() => {
  for (const channel of channels.splice(0)) channel.close();
});

describe('takeLaunchCode', () => {
  it('returns the code and removes it from the address at once, keeping the route and the query', () => {
    const calls: string[] = [];
    const history = { state: { k: 1 }, replaceState: (_s: unknown, _t: string, url?: string | URL | null) => void calls.push(String(url)) };
    expect(takeLaunchCode({ pathname: '/', search: '?renderer=dom', hash: `#/settings?launch=${CODE}` }, history)).toBe(CODE);
    expect(calls).toEqual(['/?renderer=dom#/settings']);
    expect(takeLaunchCode({ pathname: '/', search: '', hash: `#launch=${CODE}` }, history)).toBe(CODE);
    expect(calls.at(-1)).toBe('/');
  });

  it('leaves an address without a code alone', () => {
    const calls: string[] = [];
    const history = { state: null, replaceState: () => void calls.push('replaced') };
    expect(takeLaunchCode({ pathname: '/', search: '', hash: '#/lesson/dns' }, history)).toBeUndefined();
    expect(calls).toEqual([]);
  });
});

describe('createSocketAuth', () => {
  it('offers the launch code, then keeps the credential the server hands over', async () => {
    const storage = memoryStorage();
    const auth = createSocketAuth({ launchCode: CODE, storage });
    expect(await auth.protocols()).toEqual([API_PROTOCOL, `netlab.launch.${CODE}`]);
    auth.onOpen();
    auth.onSession(CREDENTIAL);
    expect(storage.data.get(CREDENTIAL_KEY)).toBe(CREDENTIAL);
  });

  it('after a reload, offers the stored credential', async () => {
    const auth = createSocketAuth({ storage: memoryStorage({ [CREDENTIAL_KEY]: CREDENTIAL }) });
    expect(await auth.protocols()).toEqual([API_PROTOCOL, `netlab.auth.${CREDENTIAL}`]);
  });

  it('a new tab gets the credential from a tab the server accepted, and keeps it', async () => {
    const first = createSocketAuth({ launchCode: CODE, storage: memoryStorage(), channel: tab('t1') });
    await first.protocols();
    first.onOpen();
    first.onSession(CREDENTIAL);
    const storage = memoryStorage();
    const second = createSocketAuth({ storage, channel: tab('t1'), askTimeoutMs: 10_000 });
    expect(await second.protocols()).toEqual([API_PROTOCOL, `netlab.auth.${CREDENTIAL}`]);
    second.onOpen();
    expect(storage.data.get(CREDENTIAL_KEY)).toBe(CREDENTIAL);
  });

  it('a tab answers only with a credential the server accepted', async () => {
    const holder = createSocketAuth({ storage: memoryStorage({ [CREDENTIAL_KEY]: CREDENTIAL }), channel: tab('t2') });
    await holder.protocols();
    // Not opened yet (it may be a credential of an earlier run): no answer.
    expect(await askOtherTabs(tab('t2'), 50)).toBeUndefined();
    holder.onOpen();
    expect(await askOtherTabs(tab('t2'), 10_000)).toBe(CREDENTIAL);
  });

  it('with no credential anywhere, offers nothing', async () => {
    const auth = createSocketAuth({ storage: memoryStorage(), channel: tab('t3'), askTimeoutMs: 20 });
    expect(await auth.protocols()).toBeUndefined();
    expect(await createSocketAuth({}).protocols()).toBeUndefined();
  });

  it('forgets a stored credential the server refused', async () => {
    const storage = memoryStorage({ [CREDENTIAL_KEY]: CREDENTIAL });
    const auth = createSocketAuth({ storage });
    await auth.protocols();
    auth.onRefused();
    expect(storage.data.has(CREDENTIAL_KEY)).toBe(false);
  });

  it('ignores a malformed stored value or answer', async () => {
    const other = tab('t4');
    other.onmessage = () => other.postMessage({ type: 'credential', credential: 'bad value' });
    const auth = createSocketAuth({ storage: memoryStorage({ [CREDENTIAL_KEY]: 'x' }), channel: tab('t4'), askTimeoutMs: 50 });
    expect(await auth.protocols()).toBeUndefined();
  });
});
