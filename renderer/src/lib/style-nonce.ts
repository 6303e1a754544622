// Browser mode's CSP admits a <style> element only with the nonce of this page
// load (electron/server/http-server.ts, contentSecurityPolicy): xterm.js writes
// its theme and cell sizes into <style> elements it creates, and has no option
// to pass a nonce. So every <style> a script creates gets it; one that arrives
// with markup (an injection) does not, and is refused. The server puts the
// nonce on the entry <script>, where only a script can read it back. The
// Electron window has no nonce (its CSP is the meta tag in index.html).

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
