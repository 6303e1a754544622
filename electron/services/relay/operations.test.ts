import { describe, expect, it } from 'vitest';
import { engineOperation } from './operations';

describe('engineOperation', () => {
  it.each([
    ['POST', '/v1.41/containers/create?name=web1', 'container.create', undefined],
    ['GET', '/v1.41/containers/web1/json', 'container.inspect', 'web1'],
    ['POST', '/v1.41/containers/web1_probe/exec', 'container.exec', 'web1_probe'],
    ['POST', '/v1.41/exec/4f2a/start', 'exec.start', '4f2a'],
    ['GET', '/v1.41/exec/4f2a/json', 'exec.inspect', '4f2a'],
    ['GET', '/v1.41/networks', 'network.list', undefined],
    ['POST', '/v1.41/networks/create', 'network.create', undefined],
    ['POST', '/v1.41/networks/custom_network/connect', 'network.connect', 'custom_network'],
    ['DELETE', '/v1.41/networks/custom_network', 'network.remove', 'custom_network'],
    ['GET', '/v1.41/images/docker.io/library/busybox/json', 'image.inspect', 'docker.io/library/busybox'],
    ['POST', '/v1.41/containers/abc/attach?stream=1&stdin=1', 'container.attach', 'abc'],
    ['GET', '/v1.41/containers/abc/logs?follow=1', 'container.logs', 'abc'],
    ['HEAD', '/_ping', 'system.ping', undefined],
    ['GET', '/v1.41/events', 'system.events', undefined],
    ['PUT', '/v1.41/containers/web1/archive?path=/tmp', 'container.archive', 'web1'],
    ['GET', '/v1.41/plugins', 'other', undefined],
  ])('%s %s is %s', (method, target, op, name) => {
    const found = engineOperation(method, target);
    expect(found?.op).toBe(op);
    expect(found?.target).toBe(name);
  });

  it('keeps the query and decodes the path', () => {
    const found = engineOperation('POST', '/v1.41/containers/create?name=web%31');
    expect(found?.query.get('name')).toBe('web1');
    expect(engineOperation('GET', '/v1.41/containers/we%62/json')?.target).toBe('web');
  });

  it('refuses a target that is not a path', () => {
    expect(engineOperation('GET', 'http://[')).toBeUndefined();
    expect(engineOperation('GET', '/containers/%zz/json')).toBeUndefined();
    expect(engineOperation('GET', '*')).toBeUndefined();
  });
});
