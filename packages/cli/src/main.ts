import { Command, CommanderError } from 'commander';
import { commands } from './commands/index.js';
import { renderError } from './render-error.js';

/** Runs the koppel command line and resolves to the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('koppel')
    .description('Declarative ETL for AFAS Profit: YAML jobs in, UpdateConnector payloads out.')
    .exitOverride()
    .showHelpAfterError('(run `koppel --help` for usage)');
  let exitCode = 0;
  const setExitCode = (code: number): void => {
    exitCode = code;
  };
  for (const register of commands) register(program, setExitCode);
  try {
    await program.parseAsync(argv as string[]);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version'
        ? 0
        : error.exitCode;
    }
    process.stderr.write(`${renderError(error)}\n`);
    return 1;
  }
}
