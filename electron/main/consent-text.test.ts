import { describe, expect, it } from 'vitest';
import { consentText } from './consent-text';

const question = {
  lessonId: 'pwn',
  title: { en: 'Networks', 'zh-CN': '网络' },
  folder: '/courses/instructor',
  commands: [
    { terminal: 'host', command: 'docker network create lab_net' },
    { terminal: 'web1', command: 'wget -qO- http://localhost/\ncat /etc/hosts' },
  ],
  probes: [{ container: 'web1', command: ['ip', 'addr'] }],
  setup: [{ terminal: 'host', command: 'docker run -d --name broken busybox sleep 3600' }],
};

describe('the desktop consent dialog', () => {
  it('lists every command whole with its terminal, and every probe with its container', () => {
    const text = consentText(question, 'en');
    expect(text.message).toContain('“Networks” comes from outside the built-in course');
    expect(text.detail).toContain('From the folder: /courses/instructor');
    expect(text.detail).toContain('  host: docker network create lab_net');
    expect(text.detail).toContain('  web1: wget -qO- http://localhost/\n    cat /etc/hosts');
    expect(text.detail).toContain('  web1: ip addr');
    expect(text.detail).toContain('runs by itself when its lab opens');
    expect(text.detail).toContain('  host: docker run -d --name broken busybox sleep 3600');
    expect(text.buttons).toEqual(['Cancel', 'Allow']);
  });

  it('speaks Chinese to a Chinese desktop', () => {
    const text = consentText(question, 'zh-CN');
    expect(text.message).toContain('“网络”来自内置课程之外');
    expect(text.buttons).toEqual(['取消', '允许']);
  });
});
