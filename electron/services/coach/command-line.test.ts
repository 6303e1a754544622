import { describe, expect, it } from 'vitest';
import { flagOn, flagValue, parseDocker, parseDockerCommands, parsePing, requestTarget, requestedNetwork, splitCommandLine } from './command-line';

describe('splitCommandLine', () => {
  it('removes quotes and keeps quoted spaces in one word', () => {
    expect(splitCommandLine(`docker run --name 'a b' "c d" e\\ f`)[0]?.words).toEqual(['docker', 'run', '--name', 'a b', 'c d', 'e f']);
  });

  it('splits on ; && || | and newlines, marking only the last command', () => {
    const cmds = splitCommandLine('a 1; b 2 && c || d | e\nf');
    expect(cmds.map((c) => c.words[0])).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(cmds.map((c) => c.last)).toEqual([false, false, false, false, false, true]);
  });

  it('keeps $( ) and backticks whole, even with quotes and operators inside', () => {
    const line = `docker exec a ping -c 2 $(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' b) ; echo \`date; x\``;
    const cmds = splitCommandLine(line);
    expect(cmds).toHaveLength(2);
    expect(cmds[0]?.words.at(-1)).toBe(`$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' b)`);
    expect(cmds[1]?.words).toEqual(['echo', '`date; x`']);
  });

  it('handles double-quote escapes, comments and an unclosed quote', () => {
    expect(splitCommandLine('echo "a\\"b" # comment')[0]?.words).toEqual(['echo', 'a"b']);
    expect(splitCommandLine("echo 'open")[0]?.words).toEqual(['echo', 'open']);
    expect(splitCommandLine('echo a#b')[0]?.words).toEqual(['echo', 'a#b']);
  });
});

describe('parseDocker', () => {
  it('reads docker run and docker container run the same', () => {
    const a = parseDockerCommands('docker run -dit --name x --net=custom busybox')[0];
    const b = parseDockerCommands('docker container run -d -i -t --name=x --network custom busybox')[0];
    for (const cmd of [a, b]) {
      expect(cmd?.action).toBe('run');
      expect(flagOn(cmd!, 'detach') && flagOn(cmd!, 'interactive') && flagOn(cmd!, 'tty')).toBe(true);
      expect(flagValue(cmd!, 'name')).toBe('x');
      expect(requestedNetwork(cmd!)).toBe('custom');
      expect(cmd?.args).toEqual(['busybox']);
    }
  });

  it('takes a bundle whose last letter needs a value, and attached values', () => {
    const cmd = parseDocker(['docker', 'run', '-dp', '8080:80', '-p9090:90', '-e=A=1', 'httpd'])!;
    expect(flagOn(cmd, 'detach')).toBe(true);
    expect(cmd.flags.get('publish')).toEqual(['8080:80', '9090:90']);
    expect(flagValue(cmd, 'env')).toBe('A=1');
    expect(cmd.args).toEqual(['httpd']);
  });

  it('stops at the image: flags after it belong to the container command', () => {
    const cmd = parseDocker(['docker', 'run', '-d', 'busybox', 'ping', '-c', '3', '--name', 'x'])!;
    expect(flagValue(cmd, 'name')).toBeUndefined();
    expect(cmd.args).toEqual(['busybox', 'ping', '-c', '3', '--name', 'x']);
  });

  it('skips global options, sudo and environment assignments', () => {
    const cmd = parseDockerCommands('DOCKER_HOST=unix:///x sudo -E docker -H unix:///y --context c exec -it box sh')[0]!;
    expect(cmd.action).toBe('exec');
    expect(flagOn(cmd, 'interactive')).toBe(true);
    expect(cmd.args).toEqual(['box', 'sh']);
  });

  it('reads network subcommands with flags anywhere', () => {
    const create = parseDocker(['docker', 'network', 'create', 'n1', '--driver', 'bridge', '--subnet=10.9.0.0/24'])!;
    expect(create.action).toBe('network create');
    expect(create.args).toEqual(['n1']);
    expect(flagValue(create, 'subnet')).toBe('10.9.0.0/24');
    expect(parseDocker(['docker', 'network', 'connect', '--alias', 'x', 'n1', 'box'])?.args).toEqual(['n1', 'box']);
    expect(parseDocker(['docker', 'network', 'remove', 'n1', 'n2'])?.action).toBe('network rm');
  });

  it('tells --net=false style booleans and the default network', () => {
    const cmd = parseDocker(['docker', 'run', '--detach=false', 'busybox'])!;
    expect(flagOn(cmd, 'detach')).toBe(false);
    expect(requestedNetwork(cmd)).toBe('bridge');
  });

  it('is not fooled by other programs or docker inside a substitution', () => {
    expect(parseDockerCommands('echo docker run x')).toEqual([]);
    expect(parseDockerCommands('ping $(docker inspect x)')).toEqual([]);
    expect(parseDockerCommands('/usr/bin/docker ps')[0]?.action).toBe('ps');
  });
});

describe('parsePing', () => {
  it('finds the target and whether it stops by itself', () => {
    expect(parsePing(['ping', '-c', '3', 'web'])).toEqual({ target: 'web', bounded: true });
    expect(parsePing(['ping', '-c3', 'web'])).toEqual({ target: 'web', bounded: true });
    expect(parsePing(['ping', '-w', '5', 'web'])).toEqual({ target: 'web', bounded: true });
    expect(parsePing(['ping', '-W', '1', '-s', '100', 'web'])).toEqual({ target: 'web', bounded: false });
    expect(parsePing(['ping', 'web', '-c', '2'])).toEqual({ target: 'web', bounded: true });
    expect(parsePing(['/bin/ping', '10.0.0.2'])).toEqual({ target: '10.0.0.2', bounded: false });
    expect(parsePing(['pingx', 'web'])).toBeUndefined();
  });
});

describe('requestTarget', () => {
  it('finds the host a ping, wget or curl aims at, also behind timeout', () => {
    expect(requestTarget(['ping', '-c', '1', 'web'])).toEqual({ program: 'ping', host: 'web' });
    expect(requestTarget(['wget', '-q', '-O-', 'http://web/'])).toEqual({ program: 'wget', host: 'web', url: 'http://web/' });
    expect(requestTarget(['timeout', '3', '/bin/wget', '-qO-', 'http://web:8080/x'])).toEqual({ program: 'wget', host: 'web', url: 'http://web:8080/x' });
    expect(requestTarget(['curl', '-s', 'http://[fd00::2]:80/'])?.host).toBe('[fd00::2]');
    expect(requestTarget(['wget', 'web'])).toBeUndefined();
    expect(requestTarget(['ping', '-c', '1'])).toBeUndefined();
    expect(requestTarget(['cat', '/etc/hosts'])).toBeUndefined();
  });

  it('reads nslookup only when asked for lookups', () => {
    expect(requestTarget(['nslookup', 'web'])).toBeUndefined();
    expect(requestTarget(['nslookup', '-type=a', 'web', '127.0.0.11'], { lookups: true })).toEqual({ program: 'nslookup', host: 'web' });
    expect(requestTarget(['nslookup'], { lookups: true })).toBeUndefined();
  });
});
