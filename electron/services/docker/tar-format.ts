// The few tar fields both archive readers need (the pack itself in
// image-pack.ts, the docker save archive inside it in docker-save-tags.ts):
// numbers in octal or GNU base-256, header checksums, NUL-ended strings.

export const BLOCK = 512;

/** Octal with a NUL when it fits, else GNU base-256 (first byte 0x80): sizes above 8 GiB. */
export function writeNumber(h: Buffer, at: number, width: number, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`tar number out of range: ${value}`);
  const octal = value.toString(8);
  if (octal.length <= width - 1) {
    h.write(`${octal.padStart(width - 1, '0')}\u0000`, at, 'latin1');
    return;
  }
  let rest = BigInt(value);
  for (let i = width - 1; i >= 1; i--) {
    h[at + i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  h[at] = 0x80;
}

/** Octal (space/NUL padded) or base-256; undefined when neither. */
export function parseNumber(field: Buffer): number | undefined {
  if (field.length > 0 && ((field[0] ?? 0) & 0x80) !== 0) {
    if (field[0] !== 0x80) return undefined; // negative or absurdly large
    let value = 0n;
    for (const b of field.subarray(1)) value = (value << 8n) | BigInt(b);
    return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : undefined;
  }
  const text = field.toString('latin1').replace(/[\u0000 ]+$/, '').replace(/^ +/, '');
  if (!/^[0-7]+$/.test(text)) return undefined;
  return parseInt(text, 8);
}

export function checksums(h: Buffer): { unsigned: number; signed: number } {
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : (h[i] ?? 0);
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  return { unsigned, signed };
}

export function cString(h: Buffer, at: number, width: number): string {
  const field = h.subarray(at, at + width);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? width : end).toString('utf8');
}

export const padding = (size: number): number => (BLOCK - (size % BLOCK)) % BLOCK;
