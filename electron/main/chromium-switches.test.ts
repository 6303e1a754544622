import { describe, expect, it } from 'vitest';
import { applyChromiumSwitches, chromiumArgs } from './chromium-switches';

describe('Chromium switches', () => {
  it('turns off the input-time task deferral that held terminal echo for a frame', () => {
    const switches: [string, string | undefined][] = [];
    applyChromiumSwitches({ appendSwitch: (name, value) => switches.push([name, value]) });
    expect(switches).toEqual([['disable-features', 'DeferRendererTasksAfterInput']]);
    expect(chromiumArgs()).toEqual(['--disable-features=DeferRendererTasksAfterInput']);
  });
});
