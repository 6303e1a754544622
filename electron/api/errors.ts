import type { WireError } from './contract';

/** An error meant for the learner: its message is shown as is. */
export class LabError extends Error {
  override name = 'LabError';
  constructor(
    message: string,
    readonly code: string = 'lab-error',
  ) {
    super(message);
  }
}

export function toWireError(err: unknown): WireError {
  if (err instanceof LabError) return { name: err.name, message: err.message, code: err.code };
  if (err instanceof Error) return { name: err.name || 'Error', message: err.message };
  return { name: 'Error', message: String(err) };
}

export function fromWireError(wire: WireError): Error {
  const err = new Error(wire.message);
  err.name = wire.name;
  if (wire.code) (err as Error & { code?: string }).code = wire.code;
  return err;
}
