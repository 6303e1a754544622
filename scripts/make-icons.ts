// npm run icons: renders build/icon.svg to the PNGs the app and its installers
// use, with Debian's Chromium (the same launch as the tests; never a download).
//   build/icon.png            1024×1024  electron-builder derives .icns and .ico from it
//   build/icons/512x512.png    512×512   Linux desktop icon
//   renderer/public/icon.png   256×256   favicon in browser mode, window icon on Linux
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { CHROMIUM_LAUNCH } from '../test/support/chromium';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUTPUTS: { file: string; size: number }[] = [
  { file: 'build/icon.png', size: 1024 },
  { file: 'build/icons/512x512.png', size: 512 },
  { file: 'renderer/public/icon.png', size: 256 },
];

async function main(): Promise<void> {
  const svg = await readFile(resolve(root, 'build/icon.svg'), 'utf8');
  const browser = await chromium.launch(CHROMIUM_LAUNCH);
  try {
    for (const { file, size } of OUTPUTS) {
      const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
      // The SVG fills the page; the corners outside its rounded square stay transparent.
      await page.setContent(
        `<!doctype html><style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${svg}`,
      );
      const out = resolve(root, file);
      await mkdir(dirname(out), { recursive: true });
      await page.screenshot({ path: out, omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
      await page.close();
      console.log(`${file} ${size}x${size}`);
    }
  } finally {
    await browser.close();
  }
}

main().catch((err: unknown) => {
  console.error(`make-icons: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
