import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { connectHeapInspector } from './heap-inspector';

describe('connectHeapInspector', () => {
  it('reads the live heap of a process after a full GC: what it holds, not its garbage', async () => {
    // Keeps ~40 MB of objects reachable, and makes as much garbage, until told to drop them.
    const script = `
      globalThis.kept = Array.from({ length: 5e5 }, (_, i) => ({ i, s: 'k' + i }));
      for (let i = 0; i < 5e5; i++) ({ i, s: 'g' + i });
      process.stdin.on('data', () => { globalThis.kept = null; process.stdout.write('dropped'); });`;
    const child = spawn(process.execPath, ['--inspect=127.0.0.1:0', '-e', script], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const inspector = await connectHeapInspector(() => out);
    try {
      const holding = await inspector.liveHeapMiB();
      child.stdin.write('x');
      await expect.poll(() => out.includes('dropped')).toBe(true);
      const dropped = await inspector.liveHeapMiB();
      expect(holding).toBeGreaterThan(dropped + 20);
      expect(dropped).toBeGreaterThan(0);
    } finally {
      inspector.close();
      child.kill();
    }
  });

  it('says what is wrong when the process has no inspector', async () => {
    await expect(connectHeapInspector(() => 'serving at http://127.0.0.1:1/', 200)).rejects.toThrow(/--inspect/);
  });
});
