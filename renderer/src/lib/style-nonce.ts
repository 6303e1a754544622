// The page's CSP admits a <style> element only with the nonce of this page
// load (electron/api/renderer-page.ts, contentSecurityPolicy): xterm.js writes
// its theme and cell sizes into <style> elements it creates, and has no option
// to pass a nonce. So every <style> a script creates gets it; one that arrives
// with markup (an injection) does not, and is refused. Whoever serves the page
// (browser mode's server, the Electron window's app:// protocol) puts the
// nonce on the entry <script>, where only a script can read it back. On Vite's
// dev server there is none, and its policy allows <style> elements instead.

export function nonceScriptStyles(doc: Document): void {
  const nonce = doc.querySelector<HTMLScriptElement>('script[nonce]')?.nonce;
  if (!nonce) return;
  const create = doc.createElement.bind(doc) as (tag: string, options?: ElementCreationOptions) => HTMLElement;
  doc.createElement = function createElement(tag: string, options?: ElementCreationOptions): HTMLElement {
    const element = create(tag, options);
    if (element instanceof HTMLStyleElement) element.nonce = nonce;
    return element;
  } as Document['createElement'];
}
