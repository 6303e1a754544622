import { describe, expect, it } from 'vitest';
import { Broadcaster } from './broadcaster';

function client(b: Broadcaster): { frames: { name: string; payload: unknown }[]; conn: ReturnType<Broadcaster['add']> } {
  const frames: { name: string; payload: unknown }[] = [];
  const conn = b.add((f) => frames.push(JSON.parse(f) as { name: string; payload: unknown }));
  return { frames, conn };
}

describe('Broadcaster', () => {
  it('sends lab events to every client', () => {
    const b = new Broadcaster();
    const [a, c] = [client(b), client(b)];
    b.emit('engine.status', { reachable: true });
    expect(a.frames).toHaveLength(1);
    expect(c.frames).toHaveLength(1);
  });

  it("sends a terminal's output and exit only to the client that opened it", () => {
    const b = new Broadcaster();
    const [a, c] = [client(b), client(b)];
    a.conn.own('t1');
    b.emit('terminal.data', { id: 't1', data: 'hi' });
    b.emit('terminal.exit', { id: 't1', exitCode: 0 });
    expect(a.frames.map((f) => f.name)).toEqual(['terminal.data', 'terminal.exit']);
    expect(c.frames).toEqual([]);
    expect(a.conn.owned()).toEqual([]);
  });

  it('drops the output of a terminal whose client left, and forgets it on exit', () => {
    const b = new Broadcaster();
    const [a, c] = [client(b), client(b)];
    a.conn.own('t1');
    expect(a.conn.owned()).toEqual(['t1']);
    a.conn.remove();
    b.emit('terminal.data', { id: 't1', data: 'late' });
    b.emit('terminal.exit', { id: 't1', exitCode: 0 });
    expect(c.frames).toEqual([]);
    // Owned by nobody now (e.g. opened outside a connection): everyone gets it.
    b.emit('terminal.data', { id: 't1', data: 'x' });
    expect(c.frames).toHaveLength(1);
    a.conn.own('t2');
    b.emit('terminal.data', { id: 't2', data: 'y' });
    expect(a.frames).toEqual([]);
  });
});
