// A stranger on the network, in its own process, for discovery.test.ts: it announces one
// `_netlab-class._tcp` service with whatever TXT the test gives (hostile ones included) through
// bonjour-service, prints "up" once announced, and is killed with SIGKILL, so it says no goodbye.
import { Bonjour } from 'bonjour-service';

const [port, mdnsPort, name, txtJson] = process.argv.slice(2);
// The options go on to multicast-dns, which bonjour-service's types do not describe.
const mdnsOptions: Record<string, unknown> = { interface: '127.0.0.1', bind: '0.0.0.0', port: Number(mdnsPort) };
const bonjour = new Bonjour(mdnsOptions, (err: Error) => process.stderr.write(`${err.message}\n`));
const service = bonjour.publish({ name: name!, type: 'netlab-class', port: Number(port), txt: JSON.parse(txtJson!) as Record<string, string>, disableIPv6: true });
service.on('up', () => process.stdout.write('up\n'));
