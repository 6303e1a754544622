// The app's one logger: pino (JSON lines) into <dataDir>/logs/netlab.log, rotated
// by size (classic netlab.log.1 … .N) with rotating-file-stream. It runs in the
// process itself, never in a pino worker-thread transport, which breaks once
// the main process is bundled. Until a log folder is opened, warnings go to stderr.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { createStream, type RotatingFileStream } from 'rotating-file-stream';
import { redactSecrets } from './redact';

export const LOG_FILE = 'netlab.log';
const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFields = Record<string, unknown>;

interface LogOptions {
  /** Folder for netlab.log and its rotated siblings. */
  dir: string;
  level?: LogLevel;
  /** Rotate once the current file would grow past this many bytes. */
  maxBytes?: number;
  /** Rotated files to keep besides the current one. */
  keep?: number;
}

interface FileLog {
  readonly dir: string;
  readonly logger: Logger;
  /** Resolves once every line logged so far is in the file. */
  flush(): Promise<void>;
  /** Flushes and closes the file. */
  close(): Promise<void>;
}

/** Secrets that must never reach a log line (e.g. the browser-mode token). */
const secrets = new Set<string>();

/** Registers a value to be replaced by [redacted] in every later log line and report. */
export function addSecret(value: string): void {
  if (value.length >= 8) secrets.add(value);
}

export function knownSecrets(): string[] {
  return [...secrets];
}

function pinoOptions(level: LogLevel): pino.LoggerOptions {
  return {
    level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Structured fields that may hold credentials, wherever they sit.
    redact: { paths: ['token', '*.token', 'password', '*.password', 'headers.cookie', 'headers.authorization'], censor: '[redacted]' },
    hooks: {
      // The final JSON line is scrubbed as a whole: messages, fields and error
      // stacks alike (a URL with ?token=… must never land in a file).
      streamWrite: (line) => redactSecrets(line, knownSecrets()),
    },
  };
}

/** Opens a rotating log file. Most code uses the shared `log` below instead. */
export function createFileLog({ dir, level = 'info', maxBytes = 1 << 20, keep = 5 }: LogOptions): FileLog {
  // With `rotate` (classic logrotate naming) the generator gets the file's index, or null for the current file.
  const name = (index: number | Date): string => (typeof index === 'number' && index > 0 ? `${LOG_FILE}.${index}` : LOG_FILE);
  const stream: RotatingFileStream = createStream(name, {
    path: dir,
    size: `${Math.max(1, Math.floor(maxBytes / 1024))}K`,
    rotate: keep,
  });
  // A full disk or a removed folder must not crash the app: logging is best effort.
  stream.on('error', (err) => process.stderr.write(`netlab: log file ${dir}: ${err.message}\n`));
  const logger = pino(pinoOptions(level), stream);
  return {
    dir,
    logger,
    // A Writable processes writes in order: an empty write's callback runs after every earlier line.
    flush: () =>
      new Promise<void>((resolveFlush) => {
        if (stream.writableEnded || stream.destroyed) return resolveFlush();
        stream.write('', () => resolveFlush());
      }),
    close: () =>
      new Promise<void>((resolveClose) => {
        if (stream.writableFinished || stream.destroyed) return resolveClose();
        stream.once('close', () => resolveClose());
        stream.once('error', () => resolveClose());
        stream.end();
      }),
  };
}

const stderrLogger = pino({ ...pinoOptions('warn') }, pino.destination({ dest: 2, sync: true }));
let active: FileLog | undefined;

function levelFromEnv(): LogLevel {
  const wanted = process.env.NETLAB_LOG_LEVEL;
  return (LOG_LEVELS as readonly string[]).includes(wanted ?? '') ? (wanted as LogLevel) : 'info';
}

/** The folder where the app keeps its logs, inside its data dir. */
export function logDir(dataDir: string): string {
  return join(dataDir, 'logs');
}

/**
 * Points the app's logger at <dataDir>/logs. Calling it again with the same
 * folder keeps the open file; another folder closes the old one first.
 */
export async function openAppLog(dataDir: string, options: Omit<LogOptions, 'dir'> = {}): Promise<FileLog> {
  const dir = logDir(dataDir);
  if (active?.dir === dir) return active;
  const previous = active;
  active = createFileLog({ level: levelFromEnv(), ...options, dir });
  await previous?.close();
  return active;
}

/** Flushes and closes the app's log file (on quit). */
export async function closeAppLog(): Promise<void> {
  const closing = active;
  active = undefined;
  await closing?.close();
}

/** Waits until what was logged so far is on disk (before reading it back). */
export async function flushAppLog(): Promise<void> {
  await active?.flush();
}

/** The folder the app currently logs into, if any. */
export function currentLogDir(): string | undefined {
  return active?.dir;
}

function write(level: LogLevel, msg: string, fields?: LogFields): void {
  const logger = active?.logger ?? stderrLogger;
  if (fields) logger[level](fields, msg);
  else logger[level](msg);
}

/** The app's logger. Pass an error as `{ err }` to get its message and stack. */
export const log = {
  debug: (msg: string, fields?: LogFields): void => write('debug', msg, fields),
  info: (msg: string, fields?: LogFields): void => write('info', msg, fields),
  warn: (msg: string, fields?: LogFields): void => write('warn', msg, fields),
  error: (msg: string, fields?: LogFields): void => write('error', msg, fields),
};

/**
 * The last `count` lines across netlab.log and its rotated siblings, oldest
 * first. Each file is at most the rotation size, so reading whole files is fine.
 */
export async function readLastLines(dir: string, count: number, keep = 5): Promise<string[]> {
  const lines: string[] = [];
  for (let i = 0; i <= keep && lines.length < count; i++) {
    let text: string;
    try {
      text = await readFile(join(dir, i === 0 ? LOG_FILE : `${LOG_FILE}.${i}`), 'utf8');
    } catch {
      // A missing file (no rotation yet) is not an error; the next one may still exist.
      continue;
    }
    const fileLines = text.split('\n').filter((l) => l.length > 0);
    lines.unshift(...fileLines.slice(-(count - lines.length)));
  }
  return lines;
}
