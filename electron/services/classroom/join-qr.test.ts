import jsQR from 'jsqr';
import { describe, expect, it } from 'vitest';
import { formatFullCode } from './join-code';
import { isPlainQrSvg, joinPayload, joinQrModules, joinQrSvg, joinQrTerminal, parseJoinPayload } from './join-qr';

const fingerprint = Buffer.from('9f'.repeat(32), 'hex');
const fullCode = formatFullCode('K7QFM2XD9A', fingerprint);
const payload = joinPayload({ host: '192.168.100.200', port: 7443 }, fullCode);

/** Draws a grid of dark cells at `scale` pixels a cell, with a white quiet zone, and asks jsQR. */
function decode(grid: boolean[][]): string | null {
  const scale = 4;
  const pad = 4;
  const cols = Math.max(...grid.map((r) => r.length));
  const w = (cols + 2 * pad) * scale;
  const h = (grid.length + 2 * pad) * scale;
  const rgba = new Uint8ClampedArray(w * h * 4).fill(255);
  grid.forEach((row, r) =>
    row.forEach((dark, c) => {
      if (!dark) return;
      for (let y = 0; y < scale; y++)
        for (let x = 0; x < scale; x++) {
          const i = (((r + pad) * scale + y) * w + (c + pad) * scale + x) * 4;
          rgba[i] = rgba[i + 1] = rgba[i + 2] = 0;
        }
    }),
  );
  return jsQR(rgba, w, h)?.data ?? null;
}

/** The dark path of qrcode's SVG (`M x y.5h7m2 0h4…`: horizontal runs, one module high) as a grid. */
function svgGrid(svg: string): boolean[][] {
  const size = Number(/viewBox="0 0 (\d+) \1"/.exec(svg)![1]);
  const d = /<path stroke="#000000" d="([^"]+)"/.exec(svg)![1]!;
  const grid = Array.from({ length: size }, () => Array<boolean>(size).fill(false));
  let x = 0;
  let y = 0;
  for (const [, op, a, b] of d.matchAll(/([MmHhVv])(-?[\d.]+)(?:\s(-?[\d.]+))?/g)) {
    const n = Number(a);
    if (op === 'M') [x, y] = [n, Number(b)];
    else if (op === 'm') [x, y] = [x + n, y + Number(b)];
    else if (op === 'h') {
      for (let i = 0; i < n; i++) grid[Math.floor(y)]![x + i] = true;
      x += n;
    } else throw new Error(`unexpected path command ${op}`);
  }
  return grid;
}

/**
 * qrcode's small terminal output read back: each character is two modules, ▀ ▄ █ drawn in the
 * foreground colour (30 black, 37 white) on the background (47 white, 40 black, 0 default: light).
 */
function terminalGrid(text: string): boolean[][] {
  const rows: boolean[][] = [];
  for (const line of text.split('\n')) {
    const top: boolean[] = [];
    const bottom: boolean[] = [];
    let fgDark = false;
    let bgDark = false;
    for (const [, codes, ch] of line.matchAll(/\x1b\[(\d+)m|(.)/gu)) {
      if (codes !== undefined) {
        if (codes === '0') [fgDark, bgDark] = [false, false];
        else if (codes === '30') fgDark = true;
        else if (codes === '37') fgDark = false;
        else if (codes === '40') bgDark = true;
        else if (codes === '47') bgDark = false;
        continue;
      }
      const ink = { ' ': [false, false], '▀': [true, false], '▄': [false, true], '█': [true, true] }[ch!];
      if (!ink) throw new Error(`unexpected character ${JSON.stringify(ch)}`);
      top.push(ink[0] ? fgDark : bgDark);
      bottom.push(ink[1] ? fgDark : bgDark);
    }
    if (top.length > 0) rows.push(top, bottom);
  }
  return rows;
}

describe('join payload', () => {
  it('holds the address and the full code, and reads back', () => {
    expect(payload).toBe(`netlab-class://192.168.100.200:7443/${fullCode}`);
    expect(parseJoinPayload(payload)).toEqual({ address: { host: '192.168.100.200', port: 7443 }, code: { secret: 'K7QFM2XD9A', fingerprint } });
    expect(parseJoinPayload(joinPayload({ host: 'fe80::1', port: 1 }, fullCode)).address).toEqual({ host: 'fe80::1', port: 1 });
  });

  it('refuses a short code, another scheme and a damaged fingerprint', () => {
    expect(() => joinPayload({ host: '10.0.0.1', port: 1 }, 'K7QFM-2XD9A')).toThrow(/full code/);
    expect(() => parseJoinPayload(`https://10.0.0.1:1/${fullCode}`)).toThrow(/not a NetLab class code/);
    expect(() => parseJoinPayload('netlab-class://10.0.0.1:1/K7QFM-2XD9A')).toThrow(/no hub fingerprint/);
    expect(() => parseJoinPayload(`netlab-class://10.0.0.1:1/${fullCode.slice(0, -3)}`)).toThrow(/damaged/);
  });
});

describe('QR renderings decode back to the payload', () => {
  it('the module matrix', () => {
    const m = joinQrModules(payload);
    const grid = Array.from({ length: m.size }, (_, r) => Array.from({ length: m.size }, (_, c) => m.dark(r, c)));
    expect(decode(grid)).toBe(payload);
    // A near miss fails: with one finder pattern blanked, nothing decodes.
    for (let r = 0; r < 7; r++) for (let c = 0; c < 7; c++) grid[r]![c] = false;
    expect(decode(grid)).toBeNull();
  });

  it('the SVG, which holds only paths', async () => {
    const svg = await joinQrSvg(payload);
    expect(isPlainQrSvg(svg)).toBe(true);
    expect([...svg.matchAll(/<(\w+)/g)].map((m) => m[1])).toEqual(['svg', 'path', 'path']);
    expect(decode(svgGrid(svg))).toBe(payload);
    expect(decode(svgGrid(await joinQrSvg(joinPayload({ host: '10.0.0.9', port: 7443 }, fullCode))))).not.toBe(payload);
  });

  it('the terminal text', async () => {
    const text = await joinQrTerminal(payload);
    expect(decode(terminalGrid(text))).toBe(payload);
  });

  it('isPlainQrSvg refuses scripts, handlers, links and foreign elements', () => {
    const ok = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 2 2"><rect width="2" height="2" fill="#fff"/><path d="M0 0h1"/></svg>';
    expect(isPlainQrSvg(ok)).toBe(true);
    expect(isPlainQrSvg(ok.replace('<path', '<script>alert(1)</script><path'))).toBe(false);
    expect(isPlainQrSvg(ok.replace('<path', '<path onload="alert(1)"'))).toBe(false);
    expect(isPlainQrSvg(ok.replace('<path', '<a href="javascript:x"><path'))).toBe(false);
    expect(isPlainQrSvg(ok.replace('<path', '<foreignObject/><path'))).toBe(false);
    expect(isPlainQrSvg(`<!DOCTYPE svg>${ok}`)).toBe(false);
  });
});
