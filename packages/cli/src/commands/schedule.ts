import { formatLocalTime } from '@koppel/runner';
import { connectDeployment, listSchedules, scheduleJob, unscheduleJob } from '@koppel/runner/bullmq';
import type { Command } from 'commander';
import { NotFoundError, UsageError } from '../errors.js';
import type { RegisterCommand } from './index.js';

interface ScheduleOptions {
  cron?: string;
  tz?: string;
  list?: boolean;
  remove?: string;
  redis?: string;
}

/**
 * `koppel schedule job.yaml --cron "0 2 * * *" --tz Europe/Amsterdam`: runs the job on a schedule
 * through the workers (a firing is skipped while the job's previous run is still going);
 * `--list` shows schedules, `--remove NAME` deletes one.
 */
export const registerSchedule: RegisterCommand = (program: Command) => {
  program
    .command('schedule')
    .argument('[job]', 'job file (YAML); every worker must be able to read it and its input')
    .option('--cron <pattern>', 'cron pattern, e.g. "0 2 * * *" (02:00 daily); 6 fields add seconds')
    .option(
      '--tz <zone>',
      'time zone of the pattern, e.g. Europe/Amsterdam (default: the worker clock, UTC here)',
    )
    .option('--list', 'list the schedules')
    .option('--remove <name>', 'remove the schedule of a job name')
    .option('--redis <url>', 'Redis URL (default: REDIS_URL, else redis://127.0.0.1:6379)')
    .action(async (job: string | undefined, options: ScheduleOptions) => {
      if (!options.list && !options.remove && (!job || !options.cron)) {
        throw new UsageError(
          'Expected `koppel schedule job.yaml --cron "0 2 * * *"`, `--list` or `--remove NAME`',
        );
      }
      const deployment = await connectDeployment({ ...(options.redis ? { redis: options.redis } : {}) });
      try {
        if (options.remove) {
          const removed = await unscheduleJob(options.remove, deployment);
          process.stdout.write(removed ? `koppel: removed the schedule of ${options.remove}\n` : '');
          if (!removed)
            throw new NotFoundError(
              `no schedule for ${options.remove}; list them with \`koppel schedule --list\``,
            );
          return;
        }
        if (options.list) {
          const schedules = await listSchedules(deployment);
          if (schedules.length === 0)
            process.stdout.write(
              'No schedules; add one with `koppel schedule job.yaml --cron "0 2 * * *"`.\n',
            );
          for (const s of schedules) {
            process.stdout.write(
              `${s.jobName.padEnd(30)} ${`${s.pattern ?? ''} ${s.tz ?? ''}`.padEnd(34)} next ${s.next ? formatLocalTime(s.next.toISOString()) : '-'}  ${s.jobFile}\n`,
            );
          }
          return;
        }
        const info = await scheduleJob(job as string, {
          redis: deployment.redis,
          keys: deployment.keys,
          cron: options.cron as string,
          ...(options.tz ? { tz: options.tz } : {}),
        });
        process.stdout.write(
          `koppel: scheduled ${info.jobName} (${options.cron}${options.tz ? ` ${options.tz}` : ''}); next run ${info.next ? formatLocalTime(info.next.toISOString()) : '(unknown)'}; \`koppel worker\` processes fire it\n`,
        );
      } finally {
        await deployment.close();
      }
    });
};
