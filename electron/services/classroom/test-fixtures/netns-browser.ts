// A learner's `--classes` in its own network namespace, for discovery-netns.test.ts: a
// ClassBrowser with the production settings (port 5353, every interface), printing one JSON line
// per class found or lost. A line `join CODE` on stdin joins the first class found with that code,
// pinned as the app would (pinForDiscoveredClass), and prints `joined NAME` or `refused WHY`.
import { createInterface } from 'node:readline';
import { ClassBrowser, pinForDiscoveredClass, type DiscoveredClass } from '../discovery';
import { LearnerClient } from '../learner-client';

const browser = new ClassBrowser({ onWarning: (e) => process.stderr.write(`mdns: ${e.message}\n`) });
const report = (event: string, c: DiscoveredClass): void => {
  process.stdout.write(`${JSON.stringify({ event, className: c.className, address: c.address, fingerprint: c.fingerprint.toString('hex') })}\n`);
};
browser.on('found', (c) => report('found', c));
browser.on('lost', (c) => report('lost', c));
let client: LearnerClient | undefined;
createInterface({ input: process.stdin }).on('line', (line) => {
  const [, code] = /^join (\S+)$/.exec(line) ?? [];
  const entry = browser.list()[0];
  if (!code || !entry) return;
  try {
    const pin = pinForDiscoveredClass(entry, code);
    client = new LearnerClient({ ...entry.address, ...pin, name: 'Ada' });
    client.on('joined', (j) => process.stdout.write(`joined ${j.className}\n`));
    client.on('refused', (why) => process.stdout.write(`refused ${why}\n`));
    client.start();
  } catch (err) {
    process.stdout.write(`refused ${(err as Error).message}\n`);
  }
});
process.on('SIGTERM', () => void Promise.all([browser.stop(), client?.leave()]).then(() => process.exit(0)));
process.stdout.write('browsing\n');
