// What the lab relay records of each Docker API call made from a host shell:
// the evidence a lesson's engine conditions match (checkpoints/conditions.ts).

/** One call the learner's docker CLI (or anything else in their shell) made. */
export interface EngineRecord {
  seq: number;
  /** When the call arrived (ISO). */
  at: string;
  op: string;
  method: string;
  /** Without the /v1.NN prefix and the query. */
  path: string;
  /** As given, but a build's argument values and any user:password@ in a URL left out. */
  query: Record<string, string>;
  /** The container, network, image, volume or exec the path names, as given. */
  target?: string;
  /** The JSON body of the calls lessons look into (creates, exec, connect), capped; Env values left out. Headers are never recorded. */
  body?: unknown;
  /** The engine's status; 0 when the engine could not be reached. */
  status: number;
  durationMs: number;
  /** The id the engine gave what this call created. */
  created?: string;
  /** The engine's message for a refused call. */
  error?: string;
  /** For an exec once its stream ended: where it ran, what it ran, and how it exited. */
  exec?: { container: string; containerId?: string; command: string[]; exitCode?: number };
}
