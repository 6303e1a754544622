import { mount } from 'svelte';
import './styles.css';
import { nonceScriptStyles } from './lib/style-nonce';
import App from './App.svelte';

// Before anything creates a <style> (xterm.js does, in the lesson view).
nonceScriptStyles(document);

const target = document.getElementById('app');
if (!target) throw new Error('#app is missing from index.html');

export default mount(App, { target });
