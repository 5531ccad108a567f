import { Command, CommanderError } from 'commander';
import { commands } from './commands/index.js';
import { renderError } from './render-error.js';

/** Commander outcomes that are not failures. */
const SUCCESS = new Set(['commander.helpDisplayed', 'commander.version', 'commander.executeSubCommandAsync']);

/**
 * Runs the koppel command line and resolves to the process exit code. Every failure goes through
 * renderError: one line on stderr, exit 2 for usage errors (unknown option, missing argument,
 * bad option value), 1 for the rest.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('koppel')
    .description('Declarative ETL for AFAS Profit: YAML jobs in, UpdateConnector payloads out.')
    .exitOverride()
    // Commander's own error text is rendered below as one line, with the usage hint on it.
    .configureOutput({ outputError: () => {} });
  let exitCode = 0;
  const setExitCode = (code: number): void => {
    exitCode = code;
  };
  for (const register of commands) register(program, setExitCode);
  const command = commandOf(program, argv);
  try {
    await program.parseAsync(argv as string[]);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (SUCCESS.has(error.code)) return 0;
      // `koppel` alone prints the help (to stderr) and fails; nothing more to say.
      if (error.code === 'commander.help') return error.exitCode;
      process.stderr.write(`${usageLine(error, command)}\n`);
      return 2;
    }
    const rendered = renderError(error, command ? { command } : {});
    process.stderr.write(`${rendered.text}\n`);
    return rendered.exitCode;
  }
}

/** The subcommand named in argv, when it is one. */
function commandOf(program: Command, argv: readonly string[]): string | undefined {
  const name = argv.slice(2).find((arg) => !arg.startsWith('-'));
  return program.commands.some((command) => command.name() === name) ? name : undefined;
}

/** Commander's message (`error: unknown option '--x'`, with its suggestion) as one line with the usage hint. */
function usageLine(error: CommanderError, command: string | undefined): string {
  const message = error.message
    .replace(/^error: /, '')
    .replace(/\s*\n\s*/g, ' ')
    .trim();
  const short = message.length > 300 ? `${message.slice(0, 300)}…` : message;
  const help = command ? `koppel ${command} --help` : 'koppel --help';
  return `koppel${command ? ` ${command}` : ''}: ${short}; run \`${help}\` for usage`;
}
