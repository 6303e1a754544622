// A learner's `--classes` in its own network namespace, for discovery-netns.test.ts: a
// ClassBrowser with the production settings (port 5353, every interface), printing one JSON line
// per class found or lost.
import { ClassBrowser, type DiscoveredClass } from '../discovery';

const browser = new ClassBrowser({ onWarning: (e) => process.stderr.write(`mdns: ${e.message}\n`) });
const report = (event: string, c: DiscoveredClass): void => {
  process.stdout.write(`${JSON.stringify({ event, className: c.className, address: c.address, fingerprint: c.fingerprint.toString('hex') })}\n`);
};
browser.on('found', (c) => report('found', c));
browser.on('lost', (c) => report('lost', c));
process.on('SIGTERM', () => void browser.stop().then(() => process.exit(0)));
process.stdout.write('browsing\n');
