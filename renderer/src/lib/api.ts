// The one LabApi the renderer uses. Components never know the transport:
// Electron's preload bridge when present, otherwise the browser-mode WebSocket.
import type { LabApi } from '../../../electron/api/contract';
import { createIpcClient, type NetlabBridge } from './ipc-client';
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

function createTransport(): Transport {
  const bridge = window.netlab;
  if (bridge) {
    // IPC lives as long as the window: always open.
    return { api: createIpcClient(bridge), connection: () => 'open', onConnection: () => () => {} };
  }
  // The token stays in the address bar so a reload keeps working.
  const client = createWsClient(browserSocket(apiSocketUrl(window.location)));
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
