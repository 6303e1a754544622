// The contract's terminal methods. A terminal belongs to the caller that opened
// it (the call's context): its output goes there, and it stops when they leave.
import type { CallContext, Handlers, MethodInput } from '../../api/contract';
import type { TerminalInfo } from '../../api/types';
import type { OperationRunner } from '../docker/deadline';
import type { LabSession } from '../lab/lab-session';
import type { TerminalManager } from './terminal-manager';

type TerminalMethod = 'terminal.open' | 'terminal.list' | 'terminal.input' | 'terminal.resize' | 'terminal.ack' | 'terminal.close';

interface TerminalDeps {
  terminals: TerminalManager;
  /** Starts the Docker host view for the docker-host terminal. */
  lab: LabSession;
  runOperation: OperationRunner;
}

export function createTerminalHandlers({ terminals, lab, runOperation }: TerminalDeps) {
  /**
   * The host shell opens at once; a shell in a container or in the Docker host view waits on the
   * engine, under its deadline. Nobody waits for one that opens after the deadline: it is closed.
   */
  async function openTerminal(input: MethodInput<'terminal.open'>, context?: CallContext): Promise<TerminalInfo> {
    const owner = context ? { owner: context.caller } : {};
    if (input.kind === 'host') return terminals.openHost(input.cols, input.rows, owner);
    return runOperation(
      'terminal.open',
      async () => {
        if (input.kind === 'container') return terminals.openContainer(input.container, input.cols, input.rows, owner);
        const container = await lab.hostView();
        return terminals.openContainer(container, input.cols, input.rows, { ...owner, hostView: true });
      },
      {
        what: `opening a shell in ${input.kind === 'container' ? input.container : 'the Docker host view'}`,
        onLate: (info) => void terminals.close(info.id).catch(() => undefined),
      },
    );
  }

  async function listTerminals(_input: MethodInput<'terminal.list'>): Promise<TerminalInfo[]> {
    return terminals.list();
  }

  async function input({ id, data }: MethodInput<'terminal.input'>): Promise<void> {
    terminals.input(id, data);
  }

  async function resize({ id, cols, rows }: MethodInput<'terminal.resize'>): Promise<void> {
    terminals.resize(id, cols, rows);
  }

  /** Flow control: xterm wrote this many characters. */
  async function ack({ id, chars }: MethodInput<'terminal.ack'>): Promise<void> {
    terminals.ack(id, chars);
  }

  async function closeTerminal({ id }: MethodInput<'terminal.close'>): Promise<void> {
    await terminals.close(id);
  }

  return {
    'terminal.open': openTerminal,
    'terminal.list': listTerminals,
    'terminal.input': input,
    'terminal.resize': resize,
    'terminal.ack': ack,
    'terminal.close': closeTerminal,
  } satisfies Pick<Handlers, TerminalMethod>;
}
