// Focus for content that replaces what had it (a confirmation in place of its
// button, and the button again after Cancel): without a move, focus falls to
// the page and a keyboard or screen-reader user starts over from the top.

/** A Svelte action: focuses the element when it appears, if `when` is true then. */
export function focusOnMount(node: HTMLElement, when = true): void {
  if (when) node.focus();
}

/** Which control takes focus back when it is shown again; `take` says yes once, then forgets. */
export class FocusReturn<K extends string = string> {
  #key: K | null = null;

  mark(key: K): void {
    this.#key = key;
  }

  take(key: K): boolean {
    if (this.#key !== key) return false;
    this.#key = null;
    return true;
  }
}
