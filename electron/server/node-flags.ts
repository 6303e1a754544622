// Node's own flags for browser mode. `npm run serve` passes them on the command
// line (V8 sizes its heap before any script runs, so serve.ts cannot set them),
// and the tests' and benchmarks' launcher passes the same ones.

/**
 * A young generation of at most 2 × 4 MB. By default V8 grows each semi-space
 * to 16 MB while a shell floods the server and keeps them committed: ~30 MB of
 * RSS for as long as the server runs. Capped, a 10-minute `yes` soak added
 * 2.3 MiB of RSS instead of ~25 (npm run bench, memory); the server's CPU per
 * byte of output stayed within this machine's run-to-run noise.
 */
export const SERVE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];
