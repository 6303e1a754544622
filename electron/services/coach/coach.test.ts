import { describe, expect, it } from 'vitest';
import type { CoachHint, CommandRecord, ContainerNode, NetworkNode, Topology } from '../../api/types';
import type { EngineRecord } from '../relay/engine-record';
import { Coach, coach, coachCommands, type CoachInput } from './coach';
import { RULES } from './rules';

// ---- fixtures -----------------------------------------------------------------

function net(name: string): NetworkNode {
  return { id: `id-${name}`, name, driver: name === 'host' || name === 'none' ? name : 'bridge', builtin: ['bridge', 'host', 'none'].includes(name), createdByLab: false };
}

let nextIp = 2;
function box(name: string, networks: string[] = ['bridge'], extra: Partial<ContainerNode> = {}): ContainerNode {
  return {
    id: `${name.length.toString(16)}abc${name}`,
    name,
    image: 'busybox',
    state: 'running',
    networkMode: networks[0] ?? 'none',
    networks: networks.map((n) => ({ network: n, ip: `172.${n === 'bridge' ? 17 : 19}.0.${nextIp++}`, mac: '02:42:00:00:00:01', gateway: '' })),
    createdByLab: false,
    ...extra,
  };
}

function topo(containers: ContainerNode[], networks: string[] = []): Topology {
  return { networks: ['bridge', 'host', 'none', ...networks].map(net), containers };
}

function input(command: string, exitCode: number, topology: Topology, extra: Partial<CoachInput> = {}): CoachInput {
  const record: CommandRecord = { terminalId: 'host-1', command, exitCode, finishedAt: '2025-01-01T00:00:00.000Z' };
  return { record, topology, ...extra };
}

function ruleOf(command: string, exitCode: number, topology: Topology, extra: Partial<CoachInput> = {}): string | undefined {
  return coach(input(command, exitCode, topology, extra))?.rule;
}

const LESSON = { containers: ['default_bbox01', 'default_bbox02', 'bbox01', 'custom_bbox02'], networks: ['custom_network'] };

// ---- one test per rule: the command that fires it, and a near-identical one that does not ----

describe('coach rules', () => {
  it('exec-container-missing: exec into a name that does not exist (with a did-you-mean)', () => {
    const t = topo([box('default_bbox01')]);
    const hint = coach(input('docker exec default_bbox1 ping -c 1 x', 1, t));
    expect(hint?.rule).toBe('exec-container-missing');
    expect(hint?.message.en).toContain('Did you mean default_bbox01?');
    expect(hint?.message['zh-CN']).toContain('default_bbox01');
    expect(ruleOf('docker exec default_bbox01 ls', 1, t)).toBeUndefined();
    // Exit 0 cannot be a missing container.
    expect(ruleOf('docker exec nobody ls', 0, t)).toBeUndefined();
  });

  it('exec-container-stopped: exec into an exited container', () => {
    const hint = coach(input('docker exec -it bbox01 sh', 1, topo([box('bbox01', ['bridge'], { state: 'exited' })])));
    expect(hint?.rule).toBe('exec-container-stopped');
    expect(hint?.message.en).toContain('docker start bbox01');
    expect(hint?.message.en).toContain('docker run -di --name bbox01 busybox');
    expect(ruleOf('docker exec -it bbox01 sh', 1, topo([box('bbox01')]))).toBeUndefined();
  });

  it('no-bash-in-image: bash that is not there', () => {
    const t = topo([box('web1', ['bridge'], { image: 'httpd' })]);
    const hint = coach(input('docker exec -it web1 /bin/bash', 126, t));
    expect(hint?.rule).toBe('no-bash-in-image');
    expect(hint?.message.en).toContain('docker exec -it web1 sh');
    expect(ruleOf('docker exec -it web1 /bin/sh', 126, t)).toBeUndefined();
    expect(ruleOf('docker exec -it web1 bash', 0, t)).toBeUndefined();
  });

  it('busybox-wget-timeout: wget -T that crashed the offline busybox', () => {
    const t = topo([box('vault_box')]);
    const hint = coach(input('docker exec vault_box wget -q -T 3 -O- http://172.20.0.1:48080/', 139, t));
    expect(hint?.rule).toBe('busybox-wget-timeout');
    expect(hint?.message.en).toContain('docker exec vault_box timeout 3 wget -q -O- http://172.20.0.1:48080/');
    expect(hint?.message['zh-CN']).toContain('timeout 3 wget');
    // A wget that failed without crashing, a crash without -T, the timeout spelling: not this.
    expect(ruleOf('docker exec vault_box wget -q -T 3 -O- http://172.20.0.1:48080/', 1, t)).toBeUndefined();
    expect(ruleOf('docker exec vault_box wget -q -O- http://172.20.0.1:48080/', 139, t)).toBeUndefined();
    expect(ruleOf('docker exec vault_box timeout 3 wget -q -O- http://172.20.0.1:48080/', 143, t)).toBeUndefined();
  });

  it('dns-on-default-bridge: a name does not resolve when both are only on bridge', () => {
    const a = box('default_bbox01');
    const b = box('default_bbox02');
    const hint = coach(input('docker exec default_bbox01 ping -c 1 default_bbox02', 1, topo([a, b]), { lesson: LESSON }));
    expect(hint?.rule).toBe('dns-on-default-bridge');
    expect(hint?.message.en).toContain('127.0.0.11');
    expect(hint?.message.en).toContain(`ping -c 3 ${b.networks[0]?.ip ?? 'missing'}`);
    expect(hint?.message.en).toContain('docker network create custom_network');
    expect(hint?.message['zh-CN']).toContain('127.0.0.11');
    expect(hint?.command).toBe('docker exec default_bbox01 ping -c 1 default_bbox02');
    expect(hint?.at).toBe('2025-01-01T00:00:00.000Z');
    // By IP, or succeeded, or on a user-defined network: silent.
    expect(ruleOf(`docker exec default_bbox01 ping -c 1 ${b.networks[0]?.ip ?? ''}`, 1, topo([a, b]))).toBeUndefined();
    expect(ruleOf('docker exec default_bbox01 ping -c 1 default_bbox02', 0, topo([a, b]))).toBeUndefined();
    const both = topo([box('default_bbox01', ['bridge', 'custom_network']), box('default_bbox02', ['bridge', 'custom_network'])], ['custom_network']);
    expect(ruleOf('docker exec default_bbox01 ping -c 1 default_bbox02', 1, both)).toBeUndefined();
  });

  it('ping-no-shared-network: the two containers have no network in common', () => {
    const t = topo([box('custom_bbox02', ['custom_network']), box('default_bbox01')], ['custom_network']);
    const hint = coach(input('docker exec custom_bbox02 ping -c 2 default_bbox01', 1, t));
    expect(hint?.rule).toBe('ping-no-shared-network');
    expect(hint?.message.en).toContain('docker network connect custom_network default_bbox01');
    const shared = topo([box('custom_bbox02', ['custom_network']), box('default_bbox01', ['bridge', 'custom_network'])], ['custom_network']);
    expect(ruleOf('docker exec custom_bbox02 ping -c 2 default_bbox01', 1, shared)).toBeUndefined();
    // A target on host or none cannot be connected anywhere: no such advice.
    const onHost = topo([box('custom_bbox02', ['custom_network']), box('default_bbox01', ['host'])], ['custom_network']);
    expect(ruleOf('docker exec custom_bbox02 ping -c 2 default_bbox01', 1, onHost)).toBeUndefined();
    const onNone = topo([box('custom_bbox02', ['custom_network']), box('default_bbox01', ['none'])], ['custom_network']);
    expect(ruleOf('docker exec custom_bbox02 wget -q -O- http://default_bbox01/', 1, onNone)).toBeUndefined();
    // wget by name: the same advice, tried again rather than pinged.
    expect(coach(input('docker exec custom_bbox02 wget -q -O- http://default_bbox01/', 1, t))?.message.en).toContain('docker network connect custom_network default_bbox01`, and try again');
  });

  it('ping-unknown-name: a typo in the target name', () => {
    const t = topo([box('custom_bbox02', ['custom_network']), box('custom_bbox03', ['custom_network'])], ['custom_network']);
    const hint = coach(input('docker exec custom_bbox02 ping -c 2 custom-bbox03', 1, t));
    expect(hint?.rule).toBe('ping-unknown-name');
    expect(hint?.message.en).toContain('Did you mean custom_bbox03?');
    // Something nowhere near a known name (an outside host): silent.
    expect(ruleOf('docker exec custom_bbox02 ping -c 2 example.org', 1, t)).toBeUndefined();
  });

  it('ping-without-count: an unbounded ping that was interrupted', () => {
    const t = topo([box('a', ['n']), box('b', ['n'])], ['n']);
    const hint = coach(input('docker exec a ping b', 0, t));
    expect(hint?.rule).toBe('ping-without-count');
    expect(hint?.message.en).toContain('still running inside a');
    expect(hint?.message.en).toContain('docker exec a ping -c 3 b');
    expect(coach(input('docker exec -it a ping b', 130, t))?.message.en).not.toContain('still running');
    expect(ruleOf('docker exec a ping -c 3 b', 0, t)).toBeUndefined();
    expect(ruleOf('docker exec a ping -w 5 b', 0, t)).toBeUndefined();
  });

  it('host-ping-container-name: pinging a container name from the host', () => {
    const t = topo([box('custom_bbox02', ['custom_network']), box('custom_bbox03', ['custom_network'])], ['custom_network']);
    const hint = coach(input('ping -c 2 custom_bbox03', 2, t));
    expect(hint?.rule).toBe('host-ping-container-name');
    expect(hint?.message.en).toContain('docker exec custom_bbox02 ping -c 3 custom_bbox03');
    expect(ruleOf('ping -c 2 example.org', 2, t)).toBeUndefined();
    expect(ruleOf('ping -c 2 custom_bbox03', 0, t)).toBeUndefined();
  });

  it('join-target-not-running: --net container:X with X stopped or missing, naming the leftover', () => {
    const stopped = topo([box('web1', ['bridge'], { state: 'exited', image: 'httpd' }), box('j1', [], { state: 'created', networkMode: 'container:web1' })]);
    const hint = coach(input('docker run -it --name j1 --network=container:web1 busybox', 125, stopped));
    expect(hint?.rule).toBe('join-target-not-running');
    expect(hint?.message.en).toContain('docker start web1');
    expect(hint?.message.en).toContain('docker rm j1');
    const missing = coach(input('docker run -di --net container:web2 busybox', 125, topo([box('web1')])));
    expect(missing?.rule).toBe('join-target-not-running');
    expect(missing?.message.en).toContain('did you mean web1?');
    expect(ruleOf('docker run -it --name j1 --network=container:web1 busybox', 125, topo([box('web1'), box('j1', [], { state: 'created' })]))).not.toBe(
      'join-target-not-running',
    );
  });

  it('network-not-found: run or connect with a network that does not exist', () => {
    const t = topo([box('custom_bbox02', [], { state: 'created' }), box('x')], ['custom_network']);
    const hint = coach(input('docker run -di --name custom_bbox02 --net custom-network busybox', 125, t));
    expect(hint?.rule).toBe('network-not-found');
    expect(hint?.message.en).toContain('Did you mean custom_network?');
    expect(hint?.message.en).toContain('docker rm custom_bbox02');
    expect(coach(input('docker network connect newnet x', 1, t))?.message.en).toContain('docker network create newnet');
    expect(ruleOf('docker run -di --name custom_bbox02 --net custom_network busybox', 125, topo([box('custom_bbox02', ['custom_network'])], ['custom_network']))).not.toBe(
      'network-not-found',
    );
  });

  it('name-in-use: --name that is taken, by state', () => {
    const running = topo([box('bbox01')]);
    const hint = coach(input('docker run -di --name bbox01 busybox', 125, running));
    expect(hint?.rule).toBe('name-in-use');
    expect(hint?.message.en).toContain('docker rm -f bbox01');
    const created = coach(input('docker run -di --name bbox01 busybox', 125, topo([box('bbox01', [], { state: 'created' })])));
    expect(created?.message.en).toContain('left over from an earlier attempt');
    expect(ruleOf('docker run -di --name bbox02 busybox', 125, running)).toBeUndefined();
    // It did not exist before this command: the 125 had another cause (a port in use, say).
    expect(ruleOf('docker run -di --name bbox01 -p 80:80 busybox', 125, running, { before: topo([]) })).toBeUndefined();
  });

  it('publish-ignored-in-host-mode: -p with --net host', () => {
    const t = topo([box('web', ['host'], { networkMode: 'host' })]);
    expect(ruleOf('docker run -d --name web --net host -p 8080:80 httpd', 0, t)).toBe('publish-ignored-in-host-mode');
    expect(ruleOf('docker run -d --name web --network=host --publish=8080:80 httpd', 0, t)).toBe('publish-ignored-in-host-mode');
    expect(ruleOf('docker run -dP --name web --net host httpd', 0, t)).toBe('publish-ignored-in-host-mode');
    expect(ruleOf('docker run -d --name web --net host httpd', 0, t)).toBeUndefined();
    expect(ruleOf('docker run -d --name web -p 8080:80 httpd', 0, t)).toBeUndefined();
  });

  it('shell-exits-without-stdin: busybox detached without -i exits at once', () => {
    const t = topo([box('default_bbox01', ['bridge'], { state: 'exited' })]);
    const hint = coach(input('docker run -d --name default_bbox01 busybox', 0, t));
    expect(hint?.rule).toBe('shell-exits-without-stdin');
    expect(hint?.message.en).toContain('docker rm default_bbox01');
    expect(hint?.message.en).toContain('docker run -i -d --name default_bbox01 busybox');
    expect(ruleOf('docker run -di --name default_bbox01 busybox', 0, t)).toBeUndefined();
    expect(ruleOf('docker run -d --name default_bbox01 busybox sleep 1', 0, t)).toBeUndefined();
    // Unnamed: found as the new exited busybox container when the model before is known.
    const anon = box('quirky_name', ['bridge'], { state: 'exited' });
    expect(ruleOf('docker run -d busybox', 0, topo([anon]), { before: topo([]) })).toBe('shell-exits-without-stdin');
    expect(ruleOf('docker run -d busybox', 0, topo([anon]), { before: topo([anon]) })).toBeUndefined();
  });

  it('interactive-run-exited: leaving an -it shell stopped a lesson container', () => {
    const t = topo([box('bbox01', ['bridge'], { state: 'exited' })]);
    const hint = coach(input('docker run -it --name bbox01 busybox', 0, t, { lesson: LESSON }));
    expect(hint?.rule).toBe('interactive-run-exited');
    expect(hint?.message.en).toContain('docker start bbox01');
    expect(ruleOf('docker run -it --name bbox01 busybox', 0, t)).toBeUndefined();
    expect(ruleOf('docker run -dit --name bbox01 busybox', 0, t, { lesson: LESSON })).toBeUndefined();
  });

  it('network-exists: creating a network that is already there', () => {
    const t = topo([], ['custom_network']);
    const hint = coach(input('docker network create custom_network', 1, t));
    expect(hint?.rule).toBe('network-exists');
    expect(hint?.message['zh-CN']).toContain('已经存在');
    expect(ruleOf('docker network create custom_network', 0, t)).toBeUndefined();
    // Made by an earlier part of the same line: the failure is someone else's.
    expect(ruleOf('docker network create custom_network', 1, t, { before: topo([]) })).toBeUndefined();
  });

  it('network-builtin-rm: removing bridge, host or none', () => {
    expect(ruleOf('docker network rm bridge', 1, topo([]))).toBe('network-builtin-rm');
    expect(ruleOf('docker network rm custom_network', 1, topo([], ['custom_network']))).toBeUndefined();
  });

  it('network-in-use: removing a network with containers attached names them', () => {
    const t = topo([box('custom_bbox02', ['custom_network']), box('custom_bbox03', ['custom_network']), box('other')], ['custom_network']);
    const hint = coach(input('docker network rm custom_network', 1, t));
    expect(hint?.rule).toBe('network-in-use');
    expect(hint?.message.en).toContain('custom_bbox02, custom_bbox03');
    expect(hint?.message.en).toContain('docker network disconnect custom_network custom_bbox02');
    expect(hint?.message.en).not.toContain('other');
    expect(ruleOf('docker network rm custom_network', 1, topo([box('other')], ['custom_network']))).toBeUndefined();
  });

  it('already-connected: connecting a container to a network it is on', () => {
    const t = topo([box('default_bbox01', ['bridge', 'custom_network'])], ['custom_network']);
    const hint = coach(input('docker network connect custom_network default_bbox01', 1, t));
    expect(hint?.rule).toBe('already-connected');
    expect(hint?.message.en).toMatch(/address 172\.19\.0\.\d+/);
    expect(ruleOf('docker network connect custom_network default_bbox01', 0, t)).toBeUndefined();
  });

  it('not-connected: disconnecting from a network the container is not on', () => {
    const t = topo([box('bbox08', ['custom_network'])], ['custom_network']);
    const hint = coach(input('docker network disconnect bridge bbox08', 1, t));
    expect(hint?.rule).toBe('not-connected');
    expect(hint?.message.en).toContain('It is on: custom_network.');
    expect(ruleOf('docker network disconnect custom_network bbox08', 1, t)).toBeUndefined();
  });

  it('every rule has an id that is unique, and each fired above', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(10);
  });

  it('stays silent for commands it does not understand and for empty lines', () => {
    const t = topo([box('a')]);
    expect(coach(input('', 0, t))).toBeUndefined();
    expect(coach(input('ls -la /tmp', 2, t))).toBeUndefined();
    expect(coach(input('docker ps -a', 0, t))).toBeUndefined();
  });

  it('attributes the exit code only to the last command of a line', () => {
    const t = topo([], ['custom_network']);
    expect(ruleOf('docker network create custom_network; echo done', 0, t)).toBeUndefined();
    expect(ruleOf('echo first; docker network create custom_network', 1, t)).toBe('network-exists');
  });

  it('survives a rule that throws', () => {
    const hint = coach(input('docker network rm bridge', 1, topo([])), [
      { id: 'broken', check: () => { throw new Error('bug'); } },
      ...RULES,
    ]);
    expect(hint?.rule).toBe('network-builtin-rm');
  });

  it('messages are non-empty in both locales for every rule that fires', () => {
    const t = topo([box('bbox01', ['bridge'], { state: 'exited' })]);
    const hints = [
      coach(input('docker exec bbox01 ls', 1, t)),
      coach(input('docker network rm host', 1, t)),
      coach(input('docker run -d --name bbox01 busybox', 0, t)),
    ];
    for (const hint of hints) {
      expect(hint?.message.en.length).toBeGreaterThan(20);
      expect(hint?.message['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});

describe('Coach', () => {
  it('shows the same rule for the same command once per cooldown', () => {
    let now = 0;
    const c = new Coach({ cooldownMs: 1_000, now: () => now });
    const i = input('docker network rm bridge', 1, topo([]));
    expect(c.observe(i)?.rule).toBe('network-builtin-rm');
    now = 500;
    expect(c.observe(i)).toBeUndefined();
    // Extra spaces are the same command.
    expect(c.observe(input('docker  network rm   bridge', 1, topo([])))).toBeUndefined();
    // Another command for the same rule is news.
    expect(c.observe(input('docker network rm none', 1, topo([])))?.rule).toBe('network-builtin-rm');
    now = 1_500;
    expect(c.observe(i)?.rule).toBe('network-builtin-rm');
    c.clear();
    expect(c.observe(i)?.rule).toBe('network-builtin-rm');
  });

  it('returns nothing when no rule fires', () => {
    expect(new Coach().observe(input('docker ps', 0, topo([])))).toBeUndefined();
  });
});

describe('coachCommands', () => {
  function fakeTerminals(): { onCommand: (l: (r: CommandRecord) => void) => () => void; emit: (command: string, exitCode: number) => void } {
    const listeners = new Set<(r: CommandRecord) => void>();
    return {
      onCommand: (l) => {
        listeners.add(l);
        return () => listeners.delete(l);
      },
      emit: (command, exitCode) => {
        for (const l of listeners) l({ terminalId: 'host-1', command, exitCode, finishedAt: new Date().toISOString() });
      },
    };
  }

  it('waits for the tracker, uses the previous model as before, and honours enabled', async () => {
    const terminals = fakeTerminals();
    let model = topo([]);
    let settledCalls = 0;
    let enabled = true;
    const hints: CoachHint[] = [];
    const coaching = coachCommands({
      terminals,
      tracker: {
        topology: () => model,
        settled: async () => {
          settledCalls++;
        },
      },
      enabled: () => enabled,
      lesson: () => LESSON,
      onHint: (h) => hints.push(h),
      settleMs: 0,
      recheckMs: 0,
    });
    // The first create succeeds; the model now holds the network.
    model = topo([], ['custom_network']);
    terminals.emit('docker network create custom_network', 0);
    await coaching.idle();
    expect(hints).toEqual([]);
    expect(settledCalls).toBe(1);
    // The second fails: it existed before (the previous model), so the hint fires.
    terminals.emit('docker network create custom_network', 1);
    await coaching.idle();
    expect(hints.map((h) => h.rule)).toEqual(['network-exists']);
    // Disabled (no lab open): nothing.
    enabled = false;
    terminals.emit('docker network rm bridge', 1);
    await coaching.idle();
    expect(hints).toHaveLength(1);
    enabled = true;
    coaching.dispose();
    terminals.emit('docker network rm bridge', 1);
    await coaching.idle();
    expect(hints).toHaveLength(1);
  });

  it('looks again later for a container that stops just after it started', async () => {
    const terminals = fakeTerminals();
    let model = topo([box('bbox01')]);
    const hints: CoachHint[] = [];
    const coaching = coachCommands({
      terminals,
      tracker: { topology: () => model, settled: async () => undefined },
      onHint: (h) => hints.push(h),
      settleMs: 0,
      recheckMs: 30,
    });
    terminals.emit('docker run -d --name bbox01 busybox', 0);
    // The die event lands after the first look.
    setTimeout(() => {
      model = topo([box('bbox01', ['bridge'], { state: 'exited' })]);
    }, 10);
    await coaching.idle();
    expect(hints.map((h) => h.rule)).toEqual(['shell-exits-without-stdin']);
    coaching.dispose();
  });

  describe('with the engine records of the host shells', () => {
    function fakeRelays(): { onRecord: (l: (t: string, r: EngineRecord) => void) => () => void; emit: (terminal: string, r: Partial<EngineRecord>) => void } {
      const listeners = new Set<(t: string, r: EngineRecord) => void>();
      let seq = 0;
      return {
        onRecord: (l) => {
          listeners.add(l);
          return () => listeners.delete(l);
        },
        emit: (terminal, r) => {
          const record: EngineRecord = { seq: ++seq, at: new Date().toISOString(), op: 'other', method: 'GET', path: '/', query: {}, status: 200, durationMs: 1, ...r };
          for (const l of listeners) l(terminal, record);
        },
      };
    }
    const rmMissing = { op: 'container.remove', target: 'bbox1', status: 404, error: 'No such container: bbox1' };
    const execMissing = { op: 'container.inspect', target: 'bbox1', status: 404, error: 'No such container: bbox1' };

    function setUp(options: { enabled?: () => boolean; burstMs?: number } = {}): {
      terminals: ReturnType<typeof fakeTerminals>;
      relays: ReturnType<typeof fakeRelays>;
      hints: CoachHint[];
      coaching: ReturnType<typeof coachCommands>;
    } {
      const terminals = fakeTerminals();
      const relays = fakeRelays();
      const hints: CoachHint[] = [];
      const coaching = coachCommands({
        terminals,
        relays,
        tracker: { topology: () => topo([box('bbox01')]), settled: async () => undefined },
        lesson: () => LESSON,
        onHint: (h) => hints.push(h),
        settleMs: 0,
        recheckMs: 0,
        burstMs: options.burstMs ?? 20,
        ...(options.enabled ? { enabled: options.enabled } : {}),
      });
      return { terminals, relays, hints, coaching };
    }

    it('coaches a shell without prompt hooks from its records alone', async () => {
      const { relays, hints, coaching } = setUp();
      relays.emit('host-1', { op: 'system.ping', status: 200 });
      relays.emit('host-1', rmMissing);
      await coaching.idle();
      expect(hints.map((h) => [h.rule, h.source, h.command])).toEqual([['container-missing', 'engine', 'No such container: bbox1']]);
      expect(hints[0]?.message.en).toContain('Did you mean bbox01?');
      // The same mistake again within the cooldown: said once.
      relays.emit('host-1', rmMissing);
      await coaching.idle();
      expect(hints).toHaveLength(1);
      coaching.dispose();
    });

    it('shows one hint for one mistake when both the command and its record arrive, whichever rule names it', async () => {
      const { terminals, relays, hints, coaching } = setUp({ burstMs: 10_000 });
      // `docker exec bbox1 ls`: the CLI asks for the container first; then the prompt hook reports the command.
      relays.emit('host-1', execMissing);
      terminals.emit('docker exec bbox1 ls', 1);
      await coaching.idle();
      // The command closed the burst at once (burstMs is long here), and the engine's hint came first.
      expect(hints.map((h) => [h.rule, h.source])).toEqual([['container-missing', 'engine']]);
      // The next command with the same kind of mistake (another name) is a new mistake.
      relays.emit('host-1', { ...execMissing, target: 'bbox2', error: 'No such container: bbox2' });
      terminals.emit('docker exec bbox2 ls', 1);
      await coaching.idle();
      expect(hints.map((h) => h.command)).toEqual(['No such container: bbox1', 'No such container: bbox2']);
      // The same command again, both rules within their cooldown: nothing.
      relays.emit('host-1', execMissing);
      terminals.emit('docker exec bbox1 ls -l', 1);
      await coaching.idle();
      expect(hints).toHaveLength(2);
      coaching.dispose();
    });

    it('keeps a command rule for what the engine did not refuse, and shells apart', async () => {
      const { terminals, relays, hints, coaching } = setUp();
      // Another shell's refused call is that shell's mistake, not this command's.
      relays.emit('host-2', { op: 'network.remove', target: 'bridge', status: 403, error: 'bridge is a pre-defined network and cannot be removed' });
      terminals.emit('docker network rm bridge', 1);
      await coaching.idle();
      expect(hints.map((h) => [h.rule, h.source ?? 'command'])).toEqual([
        ['network-builtin-rm', 'command'],
        ['network-builtin-rm', 'engine'],
      ]);
      coaching.dispose();
    });

    it('looks at a burst whole: `docker inspect` of a missing name is silent', async () => {
      const { relays, hints, coaching } = setUp();
      for (const op of ['container.inspect', 'image.inspect', 'network.inspect']) {
        relays.emit('host-1', { op, target: 'zz', status: 404, error: op === 'container.inspect' ? 'No such container: zz' : op === 'image.inspect' ? 'No such image: zz:latest' : 'network zz not found' });
      }
      await coaching.idle();
      expect(hints).toEqual([]);
      coaching.dispose();
    });

    it('says nothing while disabled or once disposed', async () => {
      let on = false;
      const { relays, hints, coaching } = setUp({ enabled: () => on });
      relays.emit('host-1', rmMissing);
      await coaching.idle();
      expect(hints).toEqual([]);
      on = true;
      coaching.dispose();
      relays.emit('host-1', rmMissing);
      await coaching.idle();
      expect(hints).toEqual([]);
    });
  });
});
