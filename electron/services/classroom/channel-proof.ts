import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { TLSSocket } from 'node:tls';

/**
 * Proofs bound to one TLS connection (RFC 9266-style channel binding through the TLS 1.3
 * exporter, RFC 8446 §7.5). Both ends of one connection compute the same exporter value;
 * a man in the middle has two different connections and so two different values, and a proof
 * recorded on one connection is worthless on any other (no replay).
 */
const EXPORTER_LABEL = 'EXPORTER-netlab-classroom-v1';

export function channelBinding(socket: TLSSocket): Buffer {
  if (socket.getProtocol() !== 'TLSv1.3') throw new Error('classroom connections require TLS 1.3');
  return socket.exportKeyingMaterial(32, EXPORTER_LABEL, Buffer.alloc(0));
}

/** `learner-content`: a download of offered content, one per connection (content-fetch.ts). */
export type ProofRole = 'learner-code' | 'hub-code' | 'learner-token' | 'hub-token' | 'learner-content';

/** HMAC-SHA256(key, role ‖ binding), base64url. */
export function channelProof(key: string | Buffer, role: ProofRole, binding: Buffer): string {
  return createHmac('sha256', key).update(role).update('\0').update(binding).digest('base64url');
}

export function proofMatches(expected: string, received: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(received);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The key a token proof uses; the hub stores only this, never the token as handed out. */
export function tokenKey(token: string): string {
  return createHash('sha256').update(`netlab-classroom-token\0${token}`).digest('hex');
}
