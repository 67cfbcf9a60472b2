import { Command, CommanderError } from 'commander';
import { CaptureError } from '../capture/frame.js';
import { EXIT, UsageError, type Io } from './io.js';
import { packetsCommand } from './packets-command.js';
import { analyzeCommand, ExitCode } from './analyze-command.js';
import { timelineCommand } from './timeline-command.js';
import { verifyCommand } from './verify-command.js';
import { natdRecoverCommand } from './natd-recover-command.js';
import { reportCommand } from './report-command.js';

export const VERSION = '0.1.0';

function lines(text: string): string[] {
  return text.replace(/\n$/, '').split('\n');
}

/**
 * Runs espy with arguments (without `node` and the script) and returns the exit code:
 * 0 ran fine, 1 findings at or above --fail-on, 2 usage or input error, 3 internal error.
 * Never throws and never prints a stack trace (set ESPY_DEBUG=1 to see one for internal errors).
 */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command('espy')
    .description('Explains what happened to IPsec when it crossed a NAT, from packet captures')
    .version(VERSION, '--version')
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (s) => lines(s).forEach((l) => io.out(l)),
      writeErr: (s) => lines(s).forEach((l) => io.err(l)),
    });
  packetsCommand(program, io);
  analyzeCommand(program, io);
  timelineCommand(program, io);
  verifyCommand(program, io);
  natdRecoverCommand(program, io);
  reportCommand(program, io);
  for (const cmd of program.commands) cmd.exitOverride();
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (e) {
    exitCode = handleError(e, io);
  }
  return exitCode;
}

function handleError(e: unknown, io: Io): number {
  if (e instanceof ExitCode) return e.code;
  if (e instanceof CommanderError) {
    // Commander has already printed its message.
    return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help' ? EXIT.ok : EXIT.usage;
  }
  if (e instanceof UsageError || e instanceof CaptureError) {
    io.err(`espy: ${e.message}`);
    return EXIT.usage;
  }
  const why = e instanceof Error ? e.message : String(e);
  io.err(`espy: internal error: ${why} (please report; ESPY_DEBUG=1 shows details)`);
  if (io.env['ESPY_DEBUG'] && e instanceof Error && e.stack) io.err(e.stack);
  return 3;
}
