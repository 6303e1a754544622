// App-wide conditions shown as banners: the transport connection and the Docker engine.
import { api, connectionState, onConnectionChange, type ConnectionState } from './api';

export const status = $state<{ connection: ConnectionState; engineReachable: boolean; engineMessage: string }>({
  connection: connectionState(),
  engineReachable: true,
  engineMessage: '',
});

onConnectionChange((state) => {
  status.connection = state;
});

api.on('engine.status', (payload) => {
  status.engineReachable = payload.reachable;
  status.engineMessage = payload.message ?? '';
});
