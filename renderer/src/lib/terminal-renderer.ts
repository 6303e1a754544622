// Which xterm renderer a terminal uses. WebGL is the fast one on a GPU; on a
// software rasterizer (SwiftShader, llvmpipe: VMs, remote desktops, thin
// clients) it is slower than the DOM renderer (bench/scenarios/throughput.ts
// times "WebGL forced" beside the DOM renderer), so those machines stay on the DOM.

export type RendererChoice = 'webgl' | 'dom';

const SOFTWARE_GL = /swiftshader|llvmpipe|softpipe|software rasterizer|microsoft basic render/i;

export function isSoftwareRenderer(renderer: string): boolean {
  return SOFTWARE_GL.test(renderer);
}

let probed: { name: string | undefined } | undefined;

/** The GL renderer's name (unmasked where the browser allows), or undefined without WebGL2; asked once per page. */
export function webglRendererName(): string | undefined {
  probed ??= { name: probeWebgl(document) };
  return probed.name;
}

function probeWebgl(doc: Document): string | undefined {
  const gl = doc.createElement('canvas').getContext('webgl2');
  if (!gl) return undefined;
  try {
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  } finally {
    gl.getExtension('WEBGL_lose_context')?.loseContext();
  }
}

/**
 * `?renderer=dom|webgl` (or localStorage netlab.renderer) forces a renderer,
 * e.g. for tests reading the DOM; otherwise WebGL unless it runs in software.
 */
export function chooseRenderer(forced: string | null, glRenderer: () => string | undefined): RendererChoice {
  if (forced === 'dom' || forced === 'webgl') return forced;
  const name = glRenderer();
  return name !== undefined && !isSoftwareRenderer(name) ? 'webgl' : 'dom';
}
