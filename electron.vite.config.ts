import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { PREBUILT_LESSONS_FILE, prebuildLessons } from './electron/services/lessons/prebuilt-lessons';

/** The built-in course parsed once per build, so start-up need not load the parser (prebuilt-lessons.ts). */
function builtinLessons(): Plugin {
  const root = resolve(__dirname, 'lessons');
  return {
    name: 'netlab-builtin-lessons',
    async generateBundle() {
      const snapshot = await prebuildLessons(root, 'builtin');
      this.emitFile({ type: 'asset', fileName: PREBUILT_LESSONS_FILE, source: JSON.stringify(snapshot) });
    },
  };
}

// Our tree is electron/{main,preload,server} + renderer/, so every entry is explicit.
export default defineConfig({
  main: {
    plugins: [builtinLessons()],
    build: {
      // zod is bundled: from node_modules it loads as dozens of files, and resolving
      // and compiling them one by one cost start-up time (bench/scenarios/startup.ts).
      // The other packages stay external. devDependencies are bundled too: the classroom's
      // certificate, mDNS and QR libraries (and shell-env) ship inside the chunk that uses them,
      // not as whole packages in app.asar (qrcode alone brought 2.5 MB of CLI and test files).
      externalizeDeps: { exclude: ['zod'] },
      // The classroom chunk is loaded only when a class is hosted or joined.
      chunkSizeWarningLimit: 1024,
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
