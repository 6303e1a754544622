// What a lesson may ask the checkpoint engine to verify. A checkpoint passes
// when every one of its conditions holds. Patterns are regular expressions;
// `${ip:CONTAINER@NETWORK}` inside a pattern or probe argument is replaced by
// that container's current address (escaped in patterns; `${ip6:…}` its IPv6 one), so no lesson ever
// hard-codes an address the learner's engine may assign differently.
import { z } from 'zod';

const name = z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/, 'not a valid Docker name');
const pattern = z.string().min(1).max(1000).refine(
  (p) => {
    try {
      new RegExp(p.replace(/\$\{ip6?:[^}]+\}/g, 'x'));
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not a valid regular expression' },
);

/** A network exists (optionally with a driver). */
const networkCondition = z
  .object({
    kind: z.literal('network'),
    network: name,
    driver: z.string().optional(),
    /** false: the network must NOT exist (e.g. after `docker network rm`). */
    exists: z.boolean().default(true),
    /** true: made with --internal; false: not. */
    internal: z.boolean().optional(),
    /** true: made with --ipv6 (dual-stack); false: IPv4 only. */
    ipv6: z.boolean().optional(),
  })
  .strict();

/** Facts about one container, read from the tracker's live model (no Docker round trip). */
const containerCondition = z
  .object({
    kind: z.literal('container'),
    container: name,
    exists: z.boolean().default(true),
    image: z.string().optional(),
    /** running: state is running; stopped: created or exited. */
    state: z.enum(['running', 'stopped']).optional(),
    /** bridge | host | none | container:<name> | <user-defined network> */
    networkMode: z.string().optional(),
    /** Networks the container must be attached to. */
    networks: z.array(name).optional(),
    /** Networks the container must not be attached to. */
    notNetworks: z.array(name).optional(),
    /** It holds an IPv4 address on this network. */
    addressOn: name.optional(),
    /** It holds a global IPv6 address on this network. */
    ipv6On: name.optional(),
  })
  .strict();

/** A command run inside a running container; it must not change lab state. */
const probeCondition = z
  .object({
    kind: z.literal('probe'),
    container: name,
    command: z.array(z.string().min(1)).min(1).max(32),
    exitCode: z.number().int().default(0),
    /** The combined output must match this pattern. */
    output: pattern.optional(),
    /** The combined output must not match this pattern. */
    notOutput: pattern.optional(),
    timeoutMs: z.number().int().min(100).max(10000).default(2000),
  })
  .strict();

/** The operations a lesson may ask about: the relay's names (relay/operations.ts), and `exec` for a finished exec. */
const engineCall = z.string().regex(/^(exec|[a-z]+\.[a-z]+)$/, 'an engine call such as exec, container.inspect or network.create');

/**
 * A Docker API call the learner made from a host shell, as the lab relay recorded it: the engine is
 * the witness, whatever the shell, alias or script. `exec` is an exec that finished (command and exit
 * code known); other calls by their operation name. `body` must be a subset of the call's JSON body.
 */
const engineCondition = z
  .object({
    kind: z.literal('engine'),
    call: z.union([engineCall, z.array(engineCall).min(1).max(8)]),
    /** The container the call names (or the exec ran in), by name. */
    container: name.optional(),
    /** The network the call names, by name. */
    network: name.optional(),
    /** For exec: the command, joined by spaces, must match. */
    command: pattern.optional(),
    /** For exec: the exit code (default 0); null for any. */
    exitCode: z.number().int().nullable().optional(),
    /** For other calls: whether the engine accepted it (default true); null for either. */
    succeeded: z.boolean().nullable().optional(),
    /** A subset of the call's JSON body, e.g. { HostConfig: { NetworkMode: "container:web1" } }. */
    body: z.record(z.string(), z.unknown()).optional(),
    /** A subset of the call's query, e.g. { name: web1 }. */
    query: z.record(z.string(), z.string()).optional(),
  })
  .strict();

/** A command the learner ran in the host shell (seen through shell integration). */
const commandCondition = z
  .object({
    kind: z.literal('command'),
    pattern,
    /** null: any exit code. */
    exitCode: z.number().int().nullable().default(0),
  })
  .strict();

/** Something a terminal printed: `terminal` is host, docker-host or a container's name. */
const outputCondition = z
  .object({
    kind: z.literal('output'),
    terminal: z.string().min(1),
    pattern,
  })
  .strict();

/** A quiz answered correctly. The loader writes these for a step's quizzes; authors write `quizzes:`. */
const quizCondition = z
  .object({
    kind: z.literal('quiz'),
    quiz: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/),
  })
  .strict();

export const conditionSchema = z.discriminatedUnion('kind', [
  networkCondition,
  containerCondition,
  probeCondition,
  commandCondition,
  engineCondition,
  outputCondition,
  quizCondition,
]);
export type Condition = z.infer<typeof conditionSchema>;
type ConditionKind = Condition['kind'];
export const CONDITION_KINDS: ConditionKind[] = ['network', 'container', 'probe', 'command', 'engine', 'output', 'quiz'];

const localized = z.object({ en: z.string().min(1), 'zh-CN': z.string().min(1) }).strict();

/** A multiple-choice question; every choice explains why it is right or wrong. */
export const quizSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'a quiz id is lowercase letters, digits and dashes'),
    question: localized,
    choices: z
      .array(z.object({ text: localized, correct: z.boolean().default(false), explanation: localized }).strict())
      .min(2, 'a quiz needs at least two choices')
      .max(8)
      .refine((cs) => cs.some((c) => c.correct), { message: 'a quiz needs at least one correct choice' }),
  })
  .strict();
export type QuizDef = z.infer<typeof quizSchema>;

export const checkpointSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'a checkpoint id is lowercase letters, digits and dashes'),
    title: localized,
    /** A live condition may fail again later; other checkpoints stay passed for the session. */
    live: z.boolean().default(false),
    when: z.array(conditionSchema).min(1),
  })
  .strict();
export type CheckpointDef = z.infer<typeof checkpointSchema>;
