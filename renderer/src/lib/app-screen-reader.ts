// The app's one screen-reader mode, saved through the settings methods.
import { api } from './api';
import { ScreenReaderMode } from './screen-reader.svelte';

export const screenReader = new ScreenReaderMode({
  get: async () => (await api.call('settings.get', {})).screenReaderMode,
  set: async (screenReaderMode) => (await api.call('settings.set', { screenReaderMode })).screenReaderMode,
});
