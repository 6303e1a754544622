// A learner's download of offered content, only after the learner accepted it. The hub is the one
// the learner pinned (its certificate checked right after the TLS handshake, as learner-client.ts
// does); the request proves the learner's own token bound to this TLS connection, so nobody else
// can fetch it and a recorded request is worthless on another connection. The bytes stream to a
// new file (mode 0600) through a counter and a SHA-256: more bytes than offered stop the download,
// and a size or hash that differs from the offer's removes the file.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { request, type IncomingMessage } from 'node:http';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { channelBinding, channelProof, tokenKey } from './channel-proof';
import { formatHostPort, type HubAddress } from './hub-address';
import { certificateFingerprint } from './hub-certificate';
import type { LearnerCredentials } from './learner-client';
import type { ContentOffer } from './protocol';

export const CONTENT_PATH = '/classroom/content/';
export const LEARNER_HEADER = 'x-netlab-learner';
export const PROOF_HEADER = 'x-netlab-proof';

export class DownloadRefused extends Error {
  override name = 'DownloadRefused';
}

export interface FetchOfferOptions extends HubAddress {
  fingerprint: Buffer;
  credentials: LearnerCredentials;
  offer: Pick<ContentOffer, 'offerId' | 'sizeBytes' | 'sha256'>;
  /** Created (never overwritten); removed again unless the download is exactly what was offered. */
  destFile: string;
  onProgress?: (received: number) => void;
  /** A hub silent this long ends the download (default 30 s), so a stalled one never holds the offer. */
  idleTimeoutMs?: number;
}

/** The proof a content request carries: HMAC(token key, "learner-content" ‖ TLS exporter). */
export function contentProof(credentials: LearnerCredentials, binding: Buffer): string {
  return channelProof(tokenKey(credentials.token), 'learner-content', binding);
}

export async function fetchOffer(opts: FetchOfferOptions): Promise<void> {
  const socket = await pinnedSocket(opts, opts.fingerprint);
  socket.setTimeout(opts.idleTimeoutMs ?? 30_000, () => socket.destroy(new Error('the hub stopped sending')));
  try {
    const res = await get(socket, opts);
    if (res.statusCode !== 200) {
      res.resume();
      throw new DownloadRefused(
        res.statusCode === 404
          ? 'The instructor no longer offers this (the hub restarted or withdrew it).'
          : res.statusCode === 403
            ? 'The hub refused the download: this app is no longer a member of the class.'
            : `The hub refused the download (HTTP ${res.statusCode}).`,
      );
    }
    const hash = createHash('sha256');
    let received = 0;
    const check = new Transform({
      transform(chunk: Buffer, _enc, done) {
        received += chunk.length;
        if (received > opts.offer.sizeBytes) return done(new DownloadRefused(`The download is larger than the ${opts.offer.sizeBytes} bytes offered: refused, and removed.`));
        hash.update(chunk);
        opts.onProgress?.(received);
        done(null, chunk);
      },
    });
    try {
      await pipeline(res, check, createWriteStream(opts.destFile, { flags: 'wx', mode: 0o600 }));
      if (received !== opts.offer.sizeBytes) throw new DownloadRefused(`The download ended after ${received} of the ${opts.offer.sizeBytes} bytes offered: refused, and removed.`);
      const got = hash.digest();
      if (!timingSafeEqual(got, Buffer.from(opts.offer.sha256, 'hex'))) {
        throw new DownloadRefused('The download does not match the SHA-256 the instructor offered (changed on the way or on the hub): refused, and removed.');
      }
    } catch (err) {
      // 'wx' refused an existing file: that one is not ours to remove.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') await rm(opts.destFile, { force: true });
      if (err instanceof DownloadRefused) throw err;
      // The hub stopped sending (a cut connection, a file shorter than offered).
      if (received < opts.offer.sizeBytes) throw new DownloadRefused(`The download ended after ${received} of the ${opts.offer.sizeBytes} bytes offered: refused, and removed.`);
      throw new DownloadRefused(`The download failed: ${(err as Error).message}`);
    }
  } finally {
    socket.destroy();
  }
}

function pinnedSocket(address: HubAddress, fingerprint: Buffer): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: address.host, port: address.port, rejectUnauthorized: false, minVersion: 'TLSv1.3', ALPNProtocols: ['http/1.1'] });
    socket.once('error', (err) => reject(new DownloadRefused(`No class answers at ${formatHostPort(address)}: ${err.message}`)));
    socket.once('secureConnect', () => {
      // Self-signed: the pin is the whole check, before a byte of the request is written.
      const fp = certificateFingerprint(socket.getPeerCertificate().raw);
      if (fp.length !== fingerprint.length || !timingSafeEqual(fp, fingerprint)) {
        socket.destroy();
        return reject(new DownloadRefused(`The hub at ${formatHostPort(address)} is not the class's hub (its certificate changed): nothing was downloaded.`));
      }
      resolve(socket);
    });
  });
}

function get(socket: TLSSocket, opts: FetchOfferOptions): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    // Plain http over the TLS socket already pinned: the request cannot go anywhere else.
    const req = request({
      createConnection: () => socket,
      host: opts.host,
      port: opts.port,
      method: 'GET',
      path: `${CONTENT_PATH}${encodeURIComponent(opts.offer.offerId)}`,
      headers: { [LEARNER_HEADER]: opts.credentials.learnerId, [PROOF_HEADER]: contentProof(opts.credentials, channelBinding(socket)), connection: 'close' },
    });
    req.once('response', resolve);
    req.once('error', (err) => reject(new DownloadRefused(`The download failed: ${err.message}`)));
    req.end();
  });
}
