// The renderer's only door to the main process: one invoke and one event
// subscription, for the contract's method and event names only.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENT_NAMES, isMethodName } from '../api/names';

const events = new Set<string>(EVENT_NAMES);

contextBridge.exposeInMainWorld('netlab', {
  invoke(method: string, input: unknown): Promise<unknown> {
    if (!isMethodName(method)) return Promise.reject(new Error(`unknown method: ${String(method)}`));
    return ipcRenderer.invoke('netlab:call', method, input);
  },
  on(event: string, listener: (payload: unknown) => void): () => void {
    if (!events.has(event)) throw new Error(`unknown event: ${String(event)}`);
    const handler = (_e: IpcRendererEvent, name: string, payload: unknown): void => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on('netlab:event', handler);
    return () => ipcRenderer.removeListener('netlab:event', handler);
  },
});
