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

/**
 * A Svelte action for a <dialog> that is shown for as long as it is mounted: modal (the rest of
 * the page inert until it is answered), and on removal closed, with focus back on what opened it.
 */
export function modalWhileMounted(dialog: HTMLDialogElement): { destroy(): void } {
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  dialog.showModal();
  return {
    destroy() {
      dialog.close();
      if (opener?.isConnected) opener.focus();
    },
  };
}
