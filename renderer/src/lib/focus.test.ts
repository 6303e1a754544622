import { describe, expect, it } from 'vitest';
import { FocusReturn, focusOnMount } from './focus';

describe('FocusReturn', () => {
  it('gives focus back once, to the control marked', () => {
    const back = new FocusReturn<'show' | 'run'>();
    expect(back.take('show')).toBe(false);
    back.mark('run');
    expect(back.take('show')).toBe(false);
    expect(back.take('run')).toBe(true);
    // A later showing of the same control (another step) keeps the focus where it is.
    expect(back.take('run')).toBe(false);
  });
});

describe('focusOnMount', () => {
  it('focuses only when asked', () => {
    let focused = 0;
    const node = { focus: () => focused++ } as unknown as HTMLElement;
    focusOnMount(node, false);
    expect(focused).toBe(0);
    focusOnMount(node);
    expect(focused).toBe(1);
  });
});
