import { describe, expect, it } from 'vitest';
import { LineSplitter, parseEvent } from './events';

describe('LineSplitter', () => {
  it('joins lines split across chunks and keeps multi-byte characters whole', () => {
    const splitter = new LineSplitter();
    const text = Buffer.from('{"a":1}\n{"name":"网络"}\n{"b":');
    // Cut inside the three-byte character.
    const cut = text.indexOf(Buffer.from('络')) + 1;
    expect(splitter.push(text.subarray(0, cut))).toEqual(['{"a":1}']);
    expect(splitter.push(text.subarray(cut))).toEqual(['{"name":"网络"}']);
    expect(splitter.push('2}\r\n\n')).toEqual(['{"b":2}']);
    expect(splitter.push('')).toEqual([]);
  });
});

describe('parseEvent', () => {
  it('accepts Docker events and rejects anything else', () => {
    const line = JSON.stringify({ Type: 'container', Action: 'create', Actor: { ID: 'abc', Attributes: { name: 'web' } }, time: 1 });
    expect(parseEvent(line)).toMatchObject({ Type: 'container', Action: 'create', Actor: { ID: 'abc', Attributes: { name: 'web' } } });
    expect(parseEvent(JSON.stringify({ Type: 'network', Action: 'create', Actor: { ID: 'n1' } }))?.Actor.Attributes).toEqual({});
    expect(parseEvent('not json')).toBeUndefined();
    expect(parseEvent('{"status":"x"}')).toBeUndefined();
    expect(parseEvent('42')).toBeUndefined();
  });
});
