import { describe, expect, it } from 'vitest';
import type { DoctorFindings } from '../../api/types';
import { DoctorFindingsCache } from './doctor-findings';

const found = { engine: { kind: 'linux' } } as DoctorFindings;

describe('DoctorFindingsCache', () => {
  it('runs the doctor once and keeps what it found', async () => {
    let runs = 0;
    const cache = new DoctorFindingsCache(async () => {
      runs++;
      return found;
    });
    expect(cache.peek()).toBeUndefined();
    expect(await Promise.all([cache.get(), cache.get()])).toEqual([found, found]);
    expect(await cache.get()).toBe(found);
    expect(runs).toBe(1);
    expect(await cache.peek()).toBe(found);
  });

  it('keeps nothing from a run that found nothing or failed, so the next ask runs again', async () => {
    const answers: (DoctorFindings | undefined | Error)[] = [undefined, new Error('engine down'), found];
    const cache = new DoctorFindingsCache(async () => {
      const next = answers.shift();
      if (next instanceof Error) throw next;
      return next;
    });
    expect(await cache.get()).toBeUndefined();
    expect(await cache.get()).toBeUndefined();
    expect(await cache.get()).toBe(found);
    expect(answers).toEqual([]);
  });

  it('examines anew on refresh, and keeps the newer findings', async () => {
    const newer = { engine: { kind: 'docker-desktop' } } as DoctorFindings;
    const answers = [found, newer];
    const cache = new DoctorFindingsCache(async () => answers.shift());
    expect(await cache.get()).toBe(found);
    expect(await cache.refresh()).toBe(newer);
    expect(await cache.get()).toBe(newer);
    expect(answers).toEqual([]);
  });
});
