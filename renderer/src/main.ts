import { mount } from 'svelte';
import './styles.css';
import { reloadOnFailedChunks } from './lib/chunk-reload';
import { nonceScriptStyles } from './lib/style-nonce';
import App from './App.svelte';

// Before anything creates a <style> (xterm.js does, in the lesson view).
nonceScriptStyles(document);
// A screen's files aborted by a network change (Docker adding a bridge) reload the page once.
reloadOnFailedChunks();

const target = document.getElementById('app');
if (!target) throw new Error('#app is missing from index.html');

export default mount(App, { target });
