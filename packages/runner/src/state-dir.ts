import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

/** Where a state directory setting came from (shown by `koppel state where` and in errors). */
export type StateDirSource = 'flag' | 'job' | 'env' | 'xdg' | 'home';

export interface StateDirInput {
  /** `--state-dir` of the command, relative to the working directory. */
  flag?: string | undefined;
  /** The job's `state_dir:`, relative to the job file's directory (`jobDir`). */
  job?: string | undefined;
  /** Directory of the job file, for a relative `state_dir:`. */
  jobDir?: string | undefined;
  /** Environment for KOPPEL_STATE_DIR and XDG_STATE_HOME; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Home directory; default os.homedir(). */
  home?: string;
}

export interface ResolvedStateDir {
  /** Absolute path of the state directory. */
  dir: string;
  source: StateDirSource;
}

/**
 * The ONE place every command finds its local state (delivery records, runs, watermarks):
 * `--state-dir`, else the job's `state_dir:`, else `KOPPEL_STATE_DIR`, else
 * `$XDG_STATE_HOME/koppel`, else `~/.local/state/koppel`. Never the working directory by
 * default, so a job started from another folder sees what was delivered before.
 */
export function resolveStateDir(input: StateDirInput = {}): ResolvedStateDir {
  const env = input.env ?? process.env;
  if (input.flag) return { dir: resolve(input.flag), source: 'flag' };
  if (input.job) {
    const dir = isAbsolute(input.job) ? input.job : resolve(input.jobDir ?? '.', input.job);
    return { dir, source: 'job' };
  }
  if (env.KOPPEL_STATE_DIR) return { dir: resolve(env.KOPPEL_STATE_DIR), source: 'env' };
  // XDG: a relative XDG_STATE_HOME is invalid and ignored.
  if (env.XDG_STATE_HOME && isAbsolute(env.XDG_STATE_HOME)) {
    return { dir: join(env.XDG_STATE_HOME, 'koppel'), source: 'xdg' };
  }
  return { dir: join(input.home ?? homedir(), '.local', 'state', 'koppel'), source: 'home' };
}

/** Shorthand: the absolute state directory. */
export function stateDirOf(input: StateDirInput = {}): string {
  return resolveStateDir(input).dir;
}
