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
  it('types a here-document as written and counts it as one command', () => {
    const block = "mkdir -p lab10\ncat > compose.yaml <<'EOF'\nservices:\n  web:\n\n    image: httpd\nEOF\n  docker compose up -d\n";
    expect(commandsToInput(block)).toBe("mkdir -p lab10\rcat > compose.yaml <<'EOF'\rservices:\r  web:\r\r    image: httpd\rEOF\rdocker compose up -d\r");
    expect(commandCount(block)).toBe(3);
    expect(commandCount('cat <<-END\n\tx\n\tEND\necho done')).toBe(2);
    // A here-string is no here-document.
    expect(commandCount('cat <<<word\necho next')).toBe(2);
  });
});
