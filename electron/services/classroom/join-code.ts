import { randomInt, timingSafeEqual } from 'node:crypto';

/**
 * Join codes. The short code is a 50-bit secret typed by learners (`K7QFM-2XD9A`). The full code
 * adds the hub certificate's SHA-256 fingerprint (`K7QFM-2XD9A.<52 base32 chars>`) and is what the
 * QR code and the printed CLI command carry: with it the learner pins the hub's certificate.
 * A learner who types only the short code must compare the fingerprint shown by their app with
 * the one on the projector (fingerprintForHumans) before joining; see docs/classroom.md.
 */

/** Crockford's base32: no I, L, O, U, so a code read aloud or typed is hard to get wrong. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const SECRET_CHARS = 10;

export interface JoinCode {
  /** The 10-character secret, normalised (upper case, no dash). */
  secret: string;
  /** The hub certificate's SHA-256, when the full code was given. */
  fingerprint: Buffer | null;
}

export function generateSecret(): string {
  let s = '';
  for (let i = 0; i < SECRET_CHARS; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return s;
}

export function formatShortCode(secret: string): string {
  return `${secret.slice(0, 5)}-${secret.slice(5)}`;
}

export function formatFullCode(secret: string, fingerprint: Buffer): string {
  return `${formatShortCode(secret)}.${base32(fingerprint)}`;
}

/** Parses what a learner typed or scanned; throws an error that says what a code looks like. */
export function parseJoinCode(input: string): JoinCode {
  const [secretPart, fpPart, ...rest] = input.trim().split('.');
  const secret = normalise(secretPart ?? '');
  if (rest.length > 0 || secret.length !== SECRET_CHARS || ![...secret].every((c) => ALPHABET.includes(c))) {
    throw new Error('A join code looks like K7QFM-2XD9A (10 letters and digits), optionally followed by "." and the hub fingerprint. Check the code on the projector and type it again.');
  }
  if (fpPart === undefined) return { secret, fingerprint: null };
  const fingerprint = unbase32(normalise(fpPart));
  if (fingerprint === null || fingerprint.length !== 32) {
    throw new Error('The fingerprint part of this join code is damaged. Scan the QR code again or copy the full code from the instructor.');
  }
  return { secret, fingerprint };
}

/** The first 80 bits of the fingerprint in groups of four, for a person to compare aloud. */
export function fingerprintForHumans(fingerprint: Buffer): string {
  return base32(fingerprint).slice(0, 16).match(/.{4}/g)!.join(' ');
}

export function secretsEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function normalise(s: string): string {
  return s.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
}

function base32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

function unbase32(s: string): Buffer | null {
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const c of s) {
    const v = ALPHABET.indexOf(c);
    if (v < 0) return null;
    value = ((value << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}
