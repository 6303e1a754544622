import { webcrypto, X509Certificate, createHash } from 'node:crypto';
import * as x509 from '@peculiar/x509';

/** The hub's TLS identity: a self-signed P-256 certificate made when a class is first hosted. */
export interface HubIdentity {
  certPem: string;
  keyPem: string;
}

const VALID_DAYS = 30;

/**
 * Makes a fresh self-signed certificate. Nothing trusts it through a CA: learners pin its
 * SHA-256 fingerprint (see join-code.ts), so the subject and lifetime only need to be valid.
 */
export async function generateHubIdentity(now: Date = new Date()): Promise<HubIdentity> {
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const notBefore = new Date(now.getTime() - 60_000);
  const notAfter = new Date(now.getTime() + VALID_DAYS * 24 * 3600_000);
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(16))).toString('hex').replace(/^[89a-f]/, '1'),
      name: 'CN=NetLab classroom hub',
      notBefore,
      notAfter,
      keys,
      signingAlgorithm: alg,
      extensions: [new x509.BasicConstraintsExtension(false, undefined, true)],
    },
    webcrypto as unknown as Crypto,
  );
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  const keyPem = `-----BEGIN PRIVATE KEY-----\n${wrap64(Buffer.from(pkcs8).toString('base64'))}\n-----END PRIVATE KEY-----\n`;
  return { certPem: cert.toString('pem'), keyPem };
}

/** SHA-256 over the whole DER certificate, as 32 raw bytes. */
export function certificateFingerprint(certPemOrDer: string | Buffer): Buffer {
  const der = typeof certPemOrDer === 'string' ? new X509Certificate(certPemOrDer).raw : certPemOrDer;
  return createHash('sha256').update(der).digest();
}

function wrap64(b64: string): string {
  return b64.replace(/(.{64})/g, '$1\n').trim();
}
