import { describe, expect, it } from 'vitest';
import { chooseRenderer, isSoftwareRenderer } from './terminal-renderer';

describe('terminal renderer choice', () => {
  it('recognises software GL renderers', () => {
    expect(isSoftwareRenderer('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)')).toBe(true);
    expect(isSoftwareRenderer('llvmpipe (LLVM 15.0.6, 256 bits)')).toBe(true);
    expect(isSoftwareRenderer('ANGLE (Intel, Mesa Intel(R) UHD Graphics 620 (KBL GT2), OpenGL 4.6)')).toBe(false);
    expect(isSoftwareRenderer('Apple M2')).toBe(false);
  });

  it('uses WebGL on a GPU, the DOM in software or without WebGL2, and honours a forced choice', () => {
    const gpu = (): string => 'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060)';
    const soft = (): string => 'SwiftShader driver';
    expect(chooseRenderer(null, gpu)).toBe('webgl');
    expect(chooseRenderer(null, soft)).toBe('dom');
    expect(chooseRenderer(null, () => undefined)).toBe('dom');
    expect(chooseRenderer('dom', gpu)).toBe('dom');
    expect(chooseRenderer('webgl', soft)).toBe('webgl');
    expect(chooseRenderer('bogus', gpu)).toBe('webgl');
  });
});
