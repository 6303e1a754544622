import { describe, expect, it } from 'vitest';
import { commandCount, commandsToInput } from './command-input';

describe('commandsToInput', () => {
  it('trims lines, drops blank ones and ends every line with Enter', () => {
    expect(commandsToInput('  docker network ls  \n\n docker ps -a\n')).toBe('docker network ls\rdocker ps -a\r');
  });
  it('handles CRLF and empty blocks', () => {
    expect(commandsToInput('a\r\nb')).toBe('a\rb\r');
    expect(commandsToInput('  \n ')).toBe('');
  });
  it('counts the commands it types', () => {
    expect(commandCount('docker ps\n\n  docker network ls\n')).toBe(2);
    expect(commandCount('  ')).toBe(0);
  });
});
