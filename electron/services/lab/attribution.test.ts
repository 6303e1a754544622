import { describe, expect, it } from 'vitest';
import { isLabsDoing } from './attribution';

const lesson = { containers: ['custom_bbox02'], networks: ['custom_network'] };

describe('isLabsDoing', () => {
  it("claims the lesson's own names", () => {
    expect(isLabsDoing('container', 'custom_bbox02', lesson)).toBe(true);
    expect(isLabsDoing('network', 'custom_network', lesson)).toBe(true);
  });

  it('leaves alone any other unlabelled name, and everything when no lesson is open', () => {
    expect(isLabsDoing('container', 'other', lesson)).toBe(false);
    expect(isLabsDoing('network', 'custom_bbox02', lesson)).toBe(false);
    expect(isLabsDoing('container', 'custom_bbox02', undefined)).toBe(false);
  });
});
