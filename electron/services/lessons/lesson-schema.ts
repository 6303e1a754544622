// The shape of a lesson's locale-neutral manifest, lesson.yaml (see
// docs/authoring.md). Checkpoints reuse checkpointSchema so the loader and the
// checkpoint engine agree on every condition.
import { z } from 'zod';
import { LESSON_NEEDS, LESSON_PARTS } from '../../api/types';
import { checkpointSchema, quizSchema } from './checkpoint-schema';

/** Lesson, step and checkpoint ids: they appear in URLs, progress files and `{#id}` anchors. */
export const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;

const id = z.string().regex(ID_PATTERN, 'an id is lowercase letters, digits and dashes (at most 64)');
const dockerName = z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/, 'not a valid Docker name');
/** An image reference as `docker run` takes it, e.g. busybox or httpd:2.4. */
const imageRef = z.string().regex(/^[a-z0-9][a-z0-9._/:@-]{0,255}$/, 'not a valid image reference');
const localized = z.object({ en: z.string().min(1), 'zh-CN': z.string().min(1) }).strict();
const command = z.string().trim().min(1).max(2000);
/** A host-shell command, or `{ terminal, run }` for the Docker host view or a container's shell. */
const terminalName = z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/, 'not a terminal name');
const commandEntrySchema = z.union([command, z.object({ terminal: terminalName, run: command }).strict()]);
export type CommandEntry = z.infer<typeof commandEntrySchema>;

/** What a lesson or step needs from the engine (the lab doctor finds whether it has it). */
const need = z.enum(LESSON_NEEDS, {
  error: (issue) => `unknown need ${JSON.stringify(issue.input)} (known: ${LESSON_NEEDS.join(', ')})`,
});
const requires = z.array(need).default([]);

/** A mistake learners really make: after these commands the listed checkpoints must not pass. */
const nearMissSchema = z
  .object({
    label: localized,
    commands: z.array(commandEntrySchema).min(1),
    fails: z.array(id).min(1),
  })
  .strict();

const stepSchema = z
  .object({
    id,
    /** What this step needs beyond the lesson's own `requires`. */
    requires,
    /** Commands that solve the step, in order (host shell unless `{ terminal, run }`). */
    solution: z.array(commandEntrySchema).default([]),
    checkpoints: z.array(checkpointSchema).default([]),
    /** Multiple-choice questions; each is also a checkpoint with the same id. */
    quizzes: z.array(quizSchema).default([]),
    nearMisses: z.array(nearMissSchema).default([]),
  })
  .strict();

export const lessonManifestSchema = z
  .object({
    id,
    order: z.number().int().min(0).max(10000),
    /** Where Home lists it: core (the default), beyond or challenges. */
    part: z.enum(LESSON_PARTS).optional(),
    images: z.array(imageRef).min(1, 'a lesson needs at least one image'),
    /** What every step needs from the engine; a step that lacks it says why instead of failing. */
    requires,
    names: z
      .object({
        containers: z.array(dockerName).default([]),
        networks: z.array(dockerName).default([]),
      })
      .strict(),
    /** Commands the app runs in a fresh lab before the learner starts: one docker command each, no shell (setup-command.ts). */
    setup: z.array(commandEntrySchema).max(50).default([]),
    steps: z.array(stepSchema).min(1, 'a lesson needs at least one step'),
  })
  .strict();

export type LessonManifest = z.infer<typeof lessonManifestSchema>;

/** Front matter of en.md / zh-CN.md. */
export const frontMatterSchema = z
  .object({
    title: z.string().trim().min(1),
    summary: z.string().trim().min(1),
  })
  .strict();
export type FrontMatter = z.infer<typeof frontMatterSchema>;
