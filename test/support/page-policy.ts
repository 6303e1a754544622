// The Content-Security-Policy a page actually enforces, read from the page
// itself: a <style> that arrives with markup carries no nonce, so the policy
// refuses it, and the violation event names the whole policy it enforced
// (originalPolicy). This works wherever the page came from, browser mode's
// HTTP server or the Electron window's app:// protocol, where a test cannot
// read the response headers. Also returns the page's style nonce (the entry
// script's, renderer/src/lib/style-nonce.ts) and any <meta> policy.
import type { Page } from '@playwright/test';

export interface PagePolicy {
  /** The enforced policy, as the violation reports it; '' if the injected <style> was applied. */
  policy: string;
  /** The directive that refused the injected <style>. */
  directive: string;
  /** The nonce on the page's entry script ('' when none). */
  nonce: string;
  /** Any policy in a <meta http-equiv> tag. */
  metaPolicies: string[];
  /** Whether a <style> a script creates (which style-nonce.ts gives the nonce) took effect. */
  scriptStyleApplied: boolean;
}

export function pagePolicy(page: Page): Promise<PagePolicy> {
  return page.evaluate(
    () =>
      new Promise<PagePolicy>((resolve) => {
        const nonce = document.querySelector<HTMLScriptElement>('script[nonce]')?.nonce ?? '';
        const metaPolicies = [...document.querySelectorAll('meta[http-equiv="Content-Security-Policy" i]')].map((m) => m.getAttribute('content') ?? '');
        const scripted = document.createElement('style');
        scripted.textContent = '#netlab-policy-probe-a { color: red }';
        document.head.append(scripted);
        const scriptStyleApplied = (scripted.sheet?.cssRules.length ?? 0) > 0;
        scripted.remove();
        const holder = document.createElement('div');
        document.addEventListener(
          'securitypolicyviolation',
          (e) => {
            holder.remove();
            resolve({ policy: e.originalPolicy, directive: e.effectiveDirective, nonce, metaPolicies, scriptStyleApplied });
          },
          { once: true },
        );
        // Parsed from markup: no createElement, so no nonce.
        holder.innerHTML = '<style>#netlab-policy-probe-b { color: red }</style>';
        document.body.append(holder);
        const injected = holder.querySelector('style');
        if ((injected?.sheet?.cssRules.length ?? 0) > 0) {
          holder.remove();
          resolve({ policy: '', directive: '', nonce, metaPolicies, scriptStyleApplied });
        }
      }),
  );
}
