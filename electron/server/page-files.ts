// What the built page loads before it can run, read from Vite's build
// manifest (out/renderer/.vite/manifest.json): the entry script, the chunks it
// imports statically, and their stylesheets. Lazy chunks are left out.

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  css?: string[];
}

export type ViteManifest = Record<string, ManifestChunk>;

interface PageFiles {
  scripts: string[];
  styles: string[];
}

/** Paths relative to the renderer's root, in load order, each once. */
export function initialPageFiles(manifest: ViteManifest): PageFiles {
  const scripts: string[] = [];
  const styles = new Set<string>();
  const seen = new Set<string>();
  const visit = (key: string): void => {
    const chunk = manifest[key];
    if (!chunk || seen.has(key)) return;
    seen.add(key);
    scripts.push(chunk.file);
    for (const css of chunk.css ?? []) styles.add(css);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key);
  if (scripts.length === 0) throw new Error('the build manifest names no entry');
  return { scripts, styles: [...styles] };
}
