import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Our tree is electron/{main,preload,server} + renderer/, so every entry is explicit.
export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'electron/main/index.ts'),
          // Browser mode: the same services served over HTTP + WebSocket, run by plain Node.
          serve: resolve(__dirname, 'electron/server/serve.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      // Sandboxed preloads cannot require packages: bundle everything but electron.
      externalizeDeps: false,
      // A sandboxed renderer can only load a CommonJS preload.
      rollupOptions: {
        input: { index: resolve(__dirname, 'electron/preload/index.ts') },
        output: { format: 'cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    plugins: [svelte()],
    build: {
      minify: true,
      // .vite/manifest.json: which files the page loads first (browser mode serves those before loading the services).
      manifest: true,
      rollupOptions: { input: { index: resolve(__dirname, 'renderer/index.html') } },
    },
  },
});
