import { describe, expect, it } from 'vitest';
import { isContainerName, isSafeUrl, isWebUrl, splitInput } from './terminal-input';

describe('splitInput', () => {
  it('keeps small input whole', () => {
    expect(splitInput('abc', 10)).toEqual(['abc']);
    expect(splitInput('', 10)).toEqual([]);
  });
  it('splits large input into bounded chunks that join back', () => {
    const data = 'x'.repeat(25);
    const chunks = splitInput(data, 10);
    expect(chunks.map((c) => c.length)).toEqual([10, 10, 5]);
    expect(chunks.join('')).toBe(data);
  });
  it('never splits a surrogate pair', () => {
    const data = 'abcdefghi😀xyz'; // the emoji occupies indexes 9 and 10
    const chunks = splitInput(data, 10);
    expect(chunks[0]).toBe('abcdefghi');
    expect(chunks[1]?.startsWith('😀')).toBe(true);
    expect(chunks.join('')).toBe(data);
  });
});

describe('url and name checks', () => {
  it('lets only http, https and mailto through', () => {
    expect(isSafeUrl('https://docs.docker.com/')).toBe(true);
    expect(isSafeUrl('mailto:a@b.c')).toBe(true);
    expect(isSafeUrl('javascript:alert(1)')).toBe(false);
    expect(isSafeUrl('file:///etc/passwd')).toBe(false);
    expect(isSafeUrl('not a url')).toBe(false);
    expect(isWebUrl('mailto:a@b.c')).toBe(false);
    expect(isWebUrl('http://localhost:8080')).toBe(true);
  });
  it('follows Docker container name rules', () => {
    expect(isContainerName('web1')).toBe(true);
    expect(isContainerName('my_app.v2-x')).toBe(true);
    expect(isContainerName('-bad')).toBe(false);
    expect(isContainerName('has space')).toBe(false);
  });
});
