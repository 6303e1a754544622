// Node's own flags for browser mode. `npm run serve` passes them on the command
// line (V8 sizes its heap before any script runs, so serve.ts cannot set them),
// and the tests' and benchmarks' launcher passes the same ones.

/**
 * A young generation of at most 2 × 4 MB. By default V8 grows each semi-space
 * to 16 MB while a shell floods the server and keeps them committed, as RSS,
 * for as long as the server runs. Capped, a `yes` soak adds a small fraction of
 * that, for no measurable CPU per byte of output (bench/scenarios/memory.ts
 * measures both).
 */
export const SERVE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];
