// A hub in its own network namespace, for discovery-netns.test.ts: a real ClassroomHub announced
// with the production mDNS settings (port 5353, the hub's interface). SIGTERM stops the hub, which
// ends the announcement with a goodbye.
import { ClassroomHub } from '../classroom-hub';
import { announceClass } from '../discovery';

void (async () => {
  const [host, dataDir] = process.argv.slice(2);
  const hub = await ClassroomHub.start({ host: host!, port: 0, dataDir: dataDir!, className: 'Room 4 (netns)' });
  announceClass({ address: hub.address, fingerprint: hub.fingerprint, className: hub.classRecord().className }, { stopWith: hub, onWarning: (e) => process.stderr.write(`mdns: ${e.message}\n`) });
  process.on('SIGTERM', () => void hub.stop().then(() => process.exit(0)));
  process.stdout.write(`ready ${hub.address.port} ${hub.fullCode}\n`);
})();
