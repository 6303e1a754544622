import { describe, expect, it } from 'vitest';
import { Broadcaster } from './broadcaster';

function client(b: Broadcaster, caller: string): { frames: { name: string; payload: unknown }[]; leave: () => void } {
  const frames: { name: string; payload: unknown }[] = [];
  const leave = b.add(caller, (f) => frames.push(JSON.parse(f) as { name: string; payload: unknown }));
  return { frames, leave: () => void leave() };
}

describe('Broadcaster', () => {
  it('sends lab events to every client', () => {
    const b = new Broadcaster();
    const [a, c] = [client(b, 'a'), client(b, 'c')];
    b.emit('engine.status', { reachable: true });
    expect(a.frames).toHaveLength(1);
    expect(c.frames).toHaveLength(1);
  });

  it("sends a terminal's output and exit only to the caller that opened it, as the terminals tell", () => {
    const b = new Broadcaster();
    const [a, c] = [client(b, 'a'), client(b, 'c')];
    b.routeTerminals((id) => (id === 't1' ? 'a' : undefined));
    b.emit('terminal.data', { id: 't1', data: 'hi' });
    b.emit('terminal.exit', { id: 't1', exitCode: 0 });
    expect(a.frames.map((f) => f.name)).toEqual(['terminal.data', 'terminal.exit']);
    expect(c.frames).toEqual([]);
  });

  it("sends a learner's shared terminal only to the dashboard that opened it, and to nobody when none has", () => {
    const b = new Broadcaster();
    const [a, c] = [client(b, 'a'), client(b, 'c')];
    let viewer: string | undefined;
    b.routeShare(() => viewer);
    b.emit('classroom.shareOutput', { learnerId: 'l-1', kind: 'output', data: 'secret', skipped: 0 });
    expect([a.frames, c.frames]).toEqual([[], []]);
    viewer = 'c';
    b.emit('classroom.shareOutput', { learnerId: 'l-1', kind: 'output', data: 'ls\r\n', skipped: 0 });
    expect(a.frames).toEqual([]);
    expect(c.frames.map((f) => f.name)).toEqual(['classroom.shareOutput']);
  });

  it('drops the output of a terminal whose caller left; one nobody opened goes to everyone', () => {
    const b = new Broadcaster();
    const [a, c] = [client(b, 'a'), client(b, 'c')];
    b.routeTerminals((id) => (id === 't1' ? 'a' : undefined));
    a.leave();
    b.emit('terminal.data', { id: 't1', data: 'late' });
    b.emit('terminal.exit', { id: 't1', exitCode: 0 });
    expect(c.frames).toEqual([]);
    // Opened outside a connection (no caller): everyone gets it.
    b.emit('terminal.data', { id: 't2', data: 'x' });
    expect(c.frames).toHaveLength(1);
    expect(a.frames).toEqual([]);
  });
});
