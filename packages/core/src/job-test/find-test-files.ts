import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { JobFileError } from '../job/errors.js';

const TEST_FILE = /\.test\.ya?ml$/i;

/**
 * The test files for a target: a directory gives every `*.test.yaml` under it (recursively,
 * skipping node_modules and dot-directories); a job file gives the test files beside it that
 * name it (`persons.yaml` -> `persons.test.yaml`); a test file gives itself. Sorted.
 */
export async function findTestFiles(target: string): Promise<string[]> {
  const path = resolve(target);
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (error) {
    throw new JobFileError(
      `cannot find ${target} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'}); give a job file, a *.test.yaml or a directory`,
      { cause: error },
    );
  }
  if (info.isDirectory()) return (await walk(path)).sort();
  if (TEST_FILE.test(path)) return [path];
  const stem = basename(path).replace(/\.ya?ml$/i, '');
  const beside = await readdir(dirname(path));
  return beside
    .filter((name) => TEST_FILE.test(name) && name.replace(TEST_FILE, '') === stem)
    .map((name) => join(dirname(path), name))
    .sort();
}

async function walk(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await walk(path)));
    else if (TEST_FILE.test(entry.name)) found.push(path);
  }
  return found;
}
