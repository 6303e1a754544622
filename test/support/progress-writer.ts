// Writes progress as fast as it can until killed (see progress-crash.test.ts).
import { ProgressStore } from '../../electron/services/progress/progress-store';

async function main(): Promise<void> {
  const store = new ProgressStore(process.argv[2] ?? '');
  await store.load();
  process.stdout.write('ready\n');
  for (let i = 0; ; i++) {
    await store.markPassed('dns', { [`cp-${i}`]: new Date().toISOString() });
  }
}
void main();
