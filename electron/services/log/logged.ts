// A contract method whose outcome belongs in the log: what a problem report
// needs to explain, say, "it did not reset".
import type { Handler, MethodInput, MethodName, MethodResult } from '../../api/contract';
import { log, type LogFields } from './logger';

/** Logs "<method> done" with the fields `describe` picks, or "<method> failed" with the error. */
export function logged<M extends MethodName>(
  method: M,
  handler: Handler<M>,
  describe: (input: MethodInput<M>, result: MethodResult<M>) => LogFields = () => ({}),
): Handler<M> {
  return async (input, context) => {
    try {
      const result = await handler(input, context);
      log.info(`${method} done`, describe(input, result));
      return result;
    } catch (err) {
      log.warn(`${method} failed`, { err });
      throw err;
    }
  };
}
