// The one LabApi the renderer uses. Components never know the transport:
// Electron's preload bridge when present, otherwise the browser-mode WebSocket.
import type { LabApi } from '../../../electron/api/contract';
import { createIpcClient, type NetlabBridge } from './ipc-client';
import { CHANNEL_NAME, createSocketAuth, takeLaunchCode } from './session-credential';
import { apiSocketUrl, browserSocket, createWsClient, type ConnectionState } from './ws-client';

declare global {
  interface Window {
    netlab?: NetlabBridge;
  }
}

export type { ConnectionState };

interface Transport {
  api: LabApi;
  connection(): ConnectionState;
  onConnection(listener: (state: ConnectionState) => void): () => void;
}

function sessionStorageOrNone(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined;
  }
}

function createTransport(): Transport {
  const bridge = window.netlab;
  if (bridge) {
    // IPC lives as long as the window: always open.
    return { api: createIpcClient(bridge), connection: () => 'open', onConnection: () => () => {} };
  }
  // The launch code leaves the address bar before anything else reads it (the route stays for App).
  const auth = createSocketAuth({
    launchCode: takeLaunchCode(window.location, window.history),
    storage: sessionStorageOrNone(),
    channel: typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL_NAME) : undefined,
  });
  const client = createWsClient(browserSocket(apiSocketUrl(window.location), auth));
  return { api: client, connection: client.connection, onConnection: client.onConnection };
}

const transport = createTransport();

export const api: LabApi = transport.api;
export const transportKind: 'ipc' | 'websocket' = window.netlab ? 'ipc' : 'websocket';

export function connectionState(): ConnectionState {
  return transport.connection();
}

export function onConnectionChange(listener: (state: ConnectionState) => void): () => void {
  return transport.onConnection(listener);
}
