import { describe, expect, it } from 'vitest';
import { apiSocketUrl, createWsClient, sessionCredential, type ConnectionState, type SocketHandlers } from './ws-client';

/** A socket we drive by hand: records frames, lets the test open/close and push messages. */
function fakeSocket(): { connect: (h: SocketHandlers) => { send(data: string): void }; sent: unknown[]; h(): SocketHandlers } {
  const sent: unknown[] = [];
  let handlers: SocketHandlers | undefined;
  return {
    sent,
    connect(h) {
      handlers = h;
      return { send: (data: string) => sent.push(JSON.parse(data)) };
    },
    h() {
      if (!handlers) throw new Error('not connected');
      return handlers;
    },
  };
}

describe('createWsClient', () => {
  it('queues calls until the socket opens, then sends them in order', async () => {
    const socket = fakeSocket();
    const client = createWsClient(socket.connect);
    expect(client.connection()).toBe('connecting');
    const first = client.call('lessons.list', {});
    const second = client.call('lessons.get', { id: 'bridge-basics' });
    expect(socket.sent).toEqual([]);
    socket.h().onOpen();
    expect(client.connection()).toBe('open');
    expect(socket.sent).toEqual([
      { type: 'call', id: 1, method: 'lessons.list', input: {} },
      { type: 'call', id: 2, method: 'lessons.get', input: { id: 'bridge-basics' } },
    ]);
    socket.h().onMessage(JSON.stringify({ type: 'result', id: 2, result: { id: 'bridge-basics' } }));
    socket.h().onMessage(JSON.stringify({ type: 'result', id: 1, result: { lessons: [], problems: [] } }));
    await expect(first).resolves.toEqual({ lessons: [], problems: [] });
    await expect(second).resolves.toEqual({ id: 'bridge-basics' });
  });

  it('rethrows server errors with their name, message and code', async () => {
    const socket = fakeSocket();
    const client = createWsClient(socket.connect);
    socket.h().onOpen();
    const call = client.call('lab.reset', {});
    socket.h().onMessage(
      JSON.stringify({ type: 'error', id: 1, error: { name: 'LabError', message: 'no lab is open', code: 'no-lab' } }),
    );
    const err = await call.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).name).toBe('LabError');
    expect((err as Error).message).toBe('no lab is open');
    expect((err as Error & { code?: string }).code).toBe('no-lab');
  });

  it('delivers events to listeners until they unsubscribe, surviving a faulty listener', () => {
    const socket = fakeSocket();
    const client = createWsClient(socket.connect);
    socket.h().onOpen();
    const seen: string[] = [];
    client.on('terminal.data', () => {
      throw new Error('bad listener');
    });
    const off = client.on('terminal.data', (p) => seen.push(p.data));
    client.on('engine.status', () => seen.push('engine'));
    const original = console.error;
    console.error = () => {};
    try {
      socket.h().onMessage(JSON.stringify({ type: 'event', name: 'terminal.data', payload: { id: 't1', data: 'hi' } }));
      off();
      socket.h().onMessage(JSON.stringify({ type: 'event', name: 'terminal.data', payload: { id: 't1', data: 'again' } }));
      socket.h().onMessage('not json');
    } finally {
      console.error = original;
    }
    expect(seen).toEqual(['hi']);
  });

  it('on close rejects pending and later calls and reports the state', async () => {
    const socket = fakeSocket();
    const client = createWsClient(socket.connect);
    const states: ConnectionState[] = [];
    client.onConnection((s) => states.push(s));
    socket.h().onOpen();
    const pending = client.call('preflight.run', {});
    socket.h().onClose();
    await expect(pending).rejects.toThrow('Disconnected');
    await expect(client.call('progress.get', {})).rejects.toThrow('Disconnected');
    expect(states).toEqual(['open', 'closed']);
    expect(client.connection()).toBe('closed');
    // A late reply for a rejected call is ignored.
    socket.h().onMessage(JSON.stringify({ type: 'result', id: 1, result: {} }));
  });

  it('reports a socket refused before it opened as no session, and rejects the calls queued for it', async () => {
    const socket = fakeSocket();
    const client = createWsClient(socket.connect);
    const queued = client.call('lessons.list', {});
    socket.h().onRefused();
    await expect(queued).rejects.toThrow('Disconnected');
    expect(client.connection()).toBe('no-session');
    await expect(client.call('lessons.list', {})).rejects.toThrow('Disconnected');
    socket.h().onOpen();
    expect(client.connection()).toBe('no-session');
    expect(socket.sent).toEqual([]);
  });

  it('rejects calls queued before a socket that never opened', async () => {
    const socket = fakeSocket();
    const client = createWsClient(socket.connect);
    const queued = client.call('app.info', {});
    socket.h().onClose();
    await expect(queued).rejects.toThrow('Disconnected');
    expect(socket.sent).toEqual([]);
  });
});

describe('apiSocketUrl', () => {
  it('uses ws for http and wss for https, and puts no credential in the URL', () => {
    expect(apiSocketUrl({ protocol: 'http:', host: '127.0.0.1:4567' })).toBe('ws://127.0.0.1:4567/api');
    expect(apiSocketUrl({ protocol: 'https:', host: 'lab.example' })).toBe('wss://lab.example/api');
  });
});

describe('sessionCredential', () => {
  it('reads the credential from a session frame only', () => {
    const credential = 'Abcdefghijklmnop0123456789_-XYZ';
    expect(sessionCredential(JSON.stringify({ type: 'session', credential }))).toBe(credential);
    expect(sessionCredential(JSON.stringify({ type: 'event', name: 'session', payload: { credential } }))).toBeUndefined();
    expect(sessionCredential(JSON.stringify({ type: 'session', credential: 'short' }))).toBeUndefined();
    expect(sessionCredential('{"type":"session"')).toBeUndefined();
  });
});
