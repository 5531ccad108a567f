import type { JobProblem } from './errors.js';
import type { YamlSource } from './yaml-source.js';

const LISTS = ['retry_on', 'reject_on'] as const;

/**
 * What the schema cannot say about `run.retry.retry_on|reject_on`: every entry must compile as a
 * regular expression (matched case-insensitively against AFAS's externalMessage).
 */
export function patternProblems(source: YamlSource, data: unknown): JobProblem[] {
  const retry = (data as { run?: { retry?: Record<string, unknown> } } | null)?.run?.retry;
  if (!retry || typeof retry !== 'object') return [];
  const problems: JobProblem[] = [];
  for (const list of LISTS) {
    const patterns = retry[list];
    if (!Array.isArray(patterns)) continue;
    patterns.forEach((pattern: unknown, index) => {
      if (typeof pattern !== 'string') return;
      try {
        new RegExp(pattern, 'i');
      } catch (error) {
        const reason = (error as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '');
        problems.push(
          source.problem(
            ['run', 'retry', list, index],
            `\`run.retry.${list}.${index}\` must be a regular expression, got \`${pattern}\` (${reason}); escape special characters such as ( [ * with a backslash`,
          ),
        );
      }
    });
  }
  return problems;
}
