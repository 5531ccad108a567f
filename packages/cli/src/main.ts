import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import { type CommandEntry, commands } from './commands/index.js';
import { refusalOf, renderError } from './render-error.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

/** Commander outcomes that are not failures. */
const SUCCESS = new Set(['commander.helpDisplayed', 'commander.version', 'commander.executeSubCommandAsync']);

/**
 * Runs the koppel command line and resolves to the process exit code. Only the command being run
 * is loaded (its module imports @koppel/core, the runner, BullMQ or the simulator); the others are
 * listed by name and description alone, so `koppel --help` costs what commander costs.
 * Every failure goes through
 * renderError: one line on stderr, exit 2 for usage errors (unknown option, missing argument,
 * bad option value), 1 for the rest.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('koppel')
    .description('Declarative ETL for AFAS Profit: YAML jobs in, UpdateConnector payloads out.')
    .version(version, '-V, --version', 'print the koppel version')
    .exitOverride()
    // Commander's own error text is rendered below as one line, with the usage hint on it.
    .configureOutput({ outputError: () => {} });
  let exitCode = 0;
  const setExitCode = (code: number): void => {
    exitCode = code;
  };
  const wanted = commandOf(argv);
  const command = wanted?.name;
  try {
    for (const entry of commands) {
      if (entry === wanted) {
        (await entry.load())(program, setExitCode);
        program.commands.at(-1)?.description(entry.description);
      } else {
        program.command(entry.name).description(entry.description);
      }
    }
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
    // Which token AFAS refused is known to core (loaded by then); --help never gets here.
    const tokenOrigin = refusalOf(error) ? (await import('@koppel/core')).tokenOriginOf : undefined;
    const rendered = renderError(error, {
      ...(command ? { command } : {}),
      ...(tokenOrigin ? { tokenOrigin } : {}),
    });
    process.stderr.write(`${rendered.text}\n`);
    return rendered.exitCode;
  }
}

/** The command argv runs (`koppel run …`, `koppel help run`), when it names one. */
export function commandOf(argv: readonly string[]): CommandEntry | undefined {
  const words = argv.slice(2);
  const first = words.find((word) => !word.startsWith('-'));
  const name = first === 'help' ? words[words.indexOf('help') + 1] : first;
  return commands.find((entry) => entry.name === name);
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
