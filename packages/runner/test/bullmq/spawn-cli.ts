import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const BIN = fileURLToPath(new URL('../../../cli/src/bin.ts', import.meta.url));
const TSX = pathToFileURL(require.resolve('tsx/esm')).href;

/** A spawned `koppel …` (from source) with its output collected. */
export interface Spawned {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code (or signal) once the process ended. */
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves once stderr or stdout contains `text`; rejects if the process ends first. */
  waitFor(text: string): Promise<void>;
}

export function spawnKoppel(
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Spawned {
  const child = spawn(process.execPath, ['--conditions=@koppel/source', '--import', TSX, BIN, ...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exit,
    waitFor: (text) =>
      new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (out.includes(text) || err.includes(text)) {
            child.stdout?.off('data', check);
            child.stderr?.off('data', check);
            resolve();
          }
        };
        child.stdout?.on('data', check);
        child.stderr?.on('data', check);
        void exit.then(() => reject(new Error(`koppel ${args[0]} ended before printing "${text}": ${err}`)));
        check();
      }),
  };
}
