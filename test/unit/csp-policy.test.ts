import { describe, expect, it } from 'vitest';
import { effectiveSources, parsePolicy, policyProblems } from '../support/csp-policy';

// The shape of the policy the app sends (electron/server/http-server.ts), with a nonce.
const GOOD =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; style-src-elem 'self' 'nonce-abc123'";

describe('policyProblems', () => {
  it('passes a strict policy with a style nonce', () => {
    expect(policyProblems(GOOD)).toEqual([]);
  });

  it("refuses a bare 'unsafe-inline' for <style> elements, the near-miss of the nonce", () => {
    expect(policyProblems(GOOD.replace("'nonce-abc123'", "'unsafe-inline'"))).toEqual(["style-src-elem: 'unsafe-inline' without a nonce"]);
  });

  it("lets 'unsafe-inline' stand beside a nonce (CSP3 ignores it then)", () => {
    expect(policyProblems(GOOD.replace("'nonce-abc123'", "'unsafe-inline' 'nonce-abc123'"))).toEqual([]);
  });

  it('refuses inline scripts, eval and data: scripts, through the fallbacks too', () => {
    expect(policyProblems(GOOD.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'"))).toContain("script-src-elem: 'unsafe-inline' without a nonce");
    expect(policyProblems(GOOD.replace("script-src 'self'", "script-src 'self' 'unsafe-eval'"))).toEqual(["script-src: 'unsafe-eval'"]);
    expect(policyProblems("default-src 'self' data:; object-src 'none'")).toEqual(['script-src-elem: allows \'self\' data:', "style-src-elem: allows 'self' data:"]);
  });

  it('wants object-src none, and a policy at all', () => {
    expect(policyProblems(GOOD.replace("object-src 'none'; ", ''))).toEqual(["object-src: 'self' (expected 'none')"]);
    expect(policyProblems(undefined)).toEqual(['no Content-Security-Policy']);
    expect(policyProblems("img-src 'self'")).toContain('script-src-elem: no source list governs it');
  });
});

describe('effectiveSources', () => {
  it('falls back as CSP3 says, and the first of a repeated directive wins', () => {
    const policy = parsePolicy("default-src 'none'; script-src 'self'; script-src *");
    expect(effectiveSources(policy, 'script-src-elem')).toEqual(["'self'"]);
    expect(effectiveSources(policy, 'style-src-elem')).toEqual(["'none'"]);
  });
});
