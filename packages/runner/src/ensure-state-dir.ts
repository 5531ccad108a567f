import { constants } from 'node:fs';
import { access, mkdir, stat } from 'node:fs/promises';
import { StateDirError } from './errors.js';

const ADVICE = 'choose another one with --state-dir (or KOPPEL_STATE_DIR)';

/**
 * Creates the state directory when missing and checks that it is a writable directory; throws
 * StateDirError naming the directory and what to do (a file in its place, a file among its
 * parents, permission denied, read-only file system).
 */
export async function ensureStateDir(dir: string): Promise<void> {
  const found = await stat(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw stateDirError(dir, error);
  });
  if (found && !found.isDirectory()) {
    throw new StateDirError(dir, `state directory ${dir} is a file, not a directory; remove it or ${ADVICE}`);
  }
  if (!found) {
    try {
      await mkdir(dir, { recursive: true });
    } catch (error) {
      throw stateDirError(dir, error as NodeJS.ErrnoException);
    }
  }
  try {
    await access(dir, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw stateDirError(dir, error as NodeJS.ErrnoException);
  }
}

function stateDirError(dir: string, error: NodeJS.ErrnoException): StateDirError {
  const why =
    error.code === 'ENOTDIR' || error.code === 'EEXIST'
      ? `cannot be created: ${error.path && error.path !== dir ? error.path : 'a part of its path'} is a file, not a directory`
      : error.code === 'EACCES' || error.code === 'EPERM'
        ? 'is not writable (permission denied)'
        : error.code === 'EROFS'
          ? 'is on a read-only file system'
          : error.code === 'ENOSPC'
            ? 'cannot be created: no space left on the device'
            : `cannot be used (${error.code ?? error.message})`;
  return new StateDirError(dir, `state directory ${dir} ${why}; ${ADVICE}`, { cause: error });
}
