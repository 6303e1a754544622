// A hub in its own process, for the crash test (classroom-crash.test.ts): it reports on stdout
// once each change is on disk, and is killed with SIGKILL, so nothing gets to flush at exit.
import { ClassroomHub } from '../classroom-hub';

void (async () => {
  const [dataDir, port] = process.argv.slice(2);
  const hub = await ClassroomHub.start({ host: '127.0.0.1', port: Number(port), dataDir: dataDir! });
  const report = async (event: string, id: string, status: string): Promise<void> => {
    await hub.flush();
    process.stdout.write(`${event} ${id} ${status}\n`);
  };
  hub.on('learner-joined', (l) => void report('joined', l.id, l.checkpoints['ping-web']?.status ?? 'none'));
  hub.on('learner-updated', (l) => void report('saved', l.id, l.checkpoints['ping-web']?.status ?? 'none'));
  process.stdout.write(`ready ${hub.address.port} ${hub.fullCode}\n`);
})();
