// Terminal flow control, both sides of it: the main side pauses a shell's
// output above HIGH_WATER_CHARS unacknowledged characters and resumes it below
// LOW_WATER_CHARS (terminals/output-pipe.ts); the renderer acknowledges what
// xterm has written in batches of ACK_BATCH_CHARS (renderer/src/lib/ack-batcher.ts).
// Dependency-free: both sides import these numbers, and nothing else spells them.

/** Pause the source above this many unacknowledged characters. */
export const HIGH_WATER_CHARS = 600_000;
/**
 * Resume below this many. Wide hysteresis: the source resumes while this much is still on its way
 * to xterm, so the renderer never waits out an ack round trip (bench: the throughput scenario).
 */
export const LOW_WATER_CHARS = 300_000;
/** The renderer acknowledges once this many characters are written (or after a short delay). */
export const ACK_BATCH_CHARS = 5_000;
