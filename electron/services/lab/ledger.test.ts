import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Ledger } from './ledger';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'netlab-ledger-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('Ledger', () => {
  it('starts empty without a file and round-trips through disk', async () => {
    const file = path.join(tempDir(), 'nested', 'ledger.json');
    const ledger = new Ledger(file);
    await ledger.load();
    expect(ledger.snapshot()).toEqual({ containers: [], networks: [] });

    ledger.containers.add('c1');
    ledger.networks.add('n1');
    ledger.save();
    ledger.containers.add('c2');
    ledger.save();
    await ledger.flush();

    const again = new Ledger(file);
    await again.load();
    expect(again.snapshot()).toEqual({ containers: ['c1', 'c2'], networks: ['n1'] });
    // No temp files left behind.
    expect(readdirSync(path.dirname(file))).toEqual(['ledger.json']);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ version: 1 });
  });

  it('treats a corrupt file as empty and keeps it aside', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'ledger.json');
    writeFileSync(file, '{"containers": [');
    const ledger = new Ledger(file);
    await ledger.load();
    expect(ledger.snapshot()).toEqual({ containers: [], networks: [] });
    expect(readdirSync(dir)).toEqual(['ledger.json.corrupt']);
  });

  it('ignores entries that are not ids', async () => {
    const file = path.join(tempDir(), 'ledger.json');
    writeFileSync(file, JSON.stringify({ containers: ['c1', 3, '', null], networks: 'n1' }));
    const ledger = new Ledger(file);
    await ledger.load();
    expect(ledger.snapshot()).toEqual({ containers: ['c1'], networks: [] });
  });
});
