import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = fileURLToPath(new URL('../../packages/cli/src/bin.ts', import.meta.url));
const TSX = pathToFileURL(require.resolve('tsx/esm')).href;

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Spawns `koppel …` from source (`node --conditions=@koppel/source --import tsx bin.ts`). */
export function spawnCli(
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): ChildProcess {
  return spawn(process.execPath, ['--conditions=@koppel/source', '--import', TSX, BIN, ...args], {
    cwd: options.cwd,
    // Local state defaults to `.koppel` in the test's working directory (a temp dir), never the
    // per-user state directory; a test that shares state across folders sets KOPPEL_STATE_DIR.
    env: { ...process.env, KOPPEL_STATE_DIR: join(options.cwd, '.koppel'), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Collects a spawned CLI's output and exit. */
export function finished(child: ChildProcess): Promise<CliResult> {
  return follow(child).exit;
}

/** A child's output so far, and its exit with the whole output. */
function follow(child: ChildProcess): Pick<Spawned, 'stdout' | 'stderr' | 'exit'> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exit = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { stdout: () => stdout, stderr: () => stderr, exit };
}

/** Runs `koppel …` to its end. */
export function runCli(
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<CliResult> {
  return finished(spawnCli(args, options));
}

/** A spawned `koppel …` with its output collected as it comes. */
export interface Spawned {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code (or signal) and the whole output once the process ended. */
  exit: Promise<CliResult>;
  /** Resolves once stderr or stdout contains `text`; rejects if the process ends first. */
  waitFor(text: string): Promise<void>;
}

/** Spawns `koppel …` and follows its output (long-lived processes: workers, a submit that waits). */
export function spawnKoppel(
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Spawned {
  const child = spawnCli(args, options);
  const { stdout, stderr, exit } = follow(child);
  const seen = (text: string): boolean => stdout().includes(text) || stderr().includes(text);
  return {
    child,
    stdout,
    stderr,
    exit,
    waitFor: (text) =>
      new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (!seen(text)) return;
          child.stdout?.off('data', check);
          child.stderr?.off('data', check);
          resolve();
        };
        child.stdout?.on('data', check);
        child.stderr?.on('data', check);
        void exit.then(() =>
          reject(new Error(`koppel ${args[0]} ended before printing "${text}": ${stderr()}`)),
        );
        check();
      }),
  };
}

/** A CLI's stderr without its plain progress lines (`koppel: 40/100 documents (40.0%), …`): what it warned or refused. */
export function withoutProgress(stderr: string): string {
  return stderr
    .split('\n')
    .filter((line) => !/^koppel: [\d,]+(\/[\d,]+)? (documents|source records|records)\b/.test(line))
    .join('\n');
}
