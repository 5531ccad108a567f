import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './cli.js';

/** `koppel …` from source as one shell word list, for `script -c`. */
function shellCommand(args: readonly string[]): string {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;
  const bin = join(ROOT, 'packages/cli/src/bin.ts');
  const words = [process.execPath, '--conditions=@koppel/source', '--import', tsx, bin, ...args];
  return words.map((word) => `'${word.replaceAll("'", `'\\''`)}'`).join(' ');
}

/**
 * Runs `koppel …` in a pseudo-terminal 160 columns wide (util-linux `script`), stdout and stderr
 * both on it: what a user sees at a terminal, progress bars included.
 */
export function runInTerminal(
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'script',
      ['-qfec', `stty cols 160 rows 40 && exec ${shellCommand(args)}`, '/dev/null'],
      {
        cwd: options.cwd,
        env: { ...process.env, KOPPEL_STATE_DIR: join(options.cwd, '.koppel'), ...options.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}
