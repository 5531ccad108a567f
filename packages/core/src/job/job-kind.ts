import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';

/** What a job file does: `extract` (target: { file }), `afas-to-afas` (get_connector source, UpdateConnector target) or `import`. */
export type JobKind = 'extract' | 'afas-to-afas' | 'import';

/** The kind of a job file, from its `source` and `target` keys (unreadable or odd files count as `import`, whose loader reports them). */
export async function jobKind(jobFile: string): Promise<JobKind> {
  let data: { source?: Record<string, unknown>; target?: Record<string, unknown> } | null;
  try {
    data = parse(await readFile(jobFile, 'utf8'), { logLevel: 'silent' }) as typeof data;
  } catch {
    return 'import';
  }
  const target = data?.target;
  if (target && typeof target === 'object' && 'file' in target) return 'extract';
  const source = data?.source;
  if (source && typeof source === 'object' && 'get_connector' in source) return 'afas-to-afas';
  return 'import';
}
