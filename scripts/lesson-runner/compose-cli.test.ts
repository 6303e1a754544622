import { describe, expect, it } from 'vitest';
import { toComposeV1, usesComposeV2 } from './compose-cli';

describe('toComposeV1', () => {
  it('rewrites docker compose where it is the command', () => {
    expect(toComposeV1('docker compose up -d')).toBe('docker-compose up -d');
    expect(toComposeV1('cd lab10 && docker compose ps')).toBe('cd lab10 && docker-compose ps');
    expect(toComposeV1('docker compose down; docker   compose up -d')).toBe('docker-compose down; docker-compose up -d');
    expect(toComposeV1('true\ndocker compose ls')).toBe('true\ndocker-compose ls');
  });

  it('leaves everything else alone', () => {
    expect(toComposeV1('echo docker compose up')).toBe('echo docker compose up');
    expect(toComposeV1('docker composer')).toBe('docker composer');
    expect(toComposeV1('docker exec lab10-app ping -c 1 db')).toBe('docker exec lab10-app ping -c 1 db');
    expect(toComposeV1('docker-compose up -d')).toBe('docker-compose up -d');
  });

  it('tells which commands use the v2 spelling', () => {
    expect(usesComposeV2('docker compose up -d')).toBe(true);
    expect(usesComposeV2('docker compose up -d')).toBe(true);
    expect(usesComposeV2('docker ps')).toBe(false);
  });
});
