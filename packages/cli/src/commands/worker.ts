import { chunkName, connectDeployment, startWorker } from '@koppel/runner/bullmq';
import type { Command } from 'commander';
import { wholeNumber } from '../options.js';
import type { RegisterCommand } from './index.js';

/**
 * `koppel worker`: processes chunks of submitted runs until SIGTERM/SIGINT; then it stops taking
 * chunks, finishes the request in flight and hands its chunks back at the record they reached.
 */
export const registerWorker: RegisterCommand = (program: Command) => {
  program
    .command('worker')
    .option(
      '--redis <url>',
      'Redis: redis://, rediss:// (TLS), redis+sentinel://host:port,…/master, redis+cluster://host:port,… or @config.yaml (default: KOPPEL_REDIS_CONFIG, REDIS_URL, else redis://127.0.0.1:6379; see docs/production.md)',
    )
    .option('--concurrency <n>', 'chunks this process works on at once', wholeNumber('--concurrency'), 16)
    .action(async (options: { redis?: string; concurrency: number }) => {
      const concurrency = options.concurrency;
      const deployment = await connectDeployment({ ...(options.redis ? { redis: options.redis } : {}) });
      const running = startWorker({ redis: deployment.redis, keys: deployment.keys, concurrency });
      await running.worker.chunks.waitUntilReady();
      // A chunk that fails says why here too (the run's summary and `koppel status` name it as well).
      running.worker.chunks.on('failed', (job, error) => {
        if (!job || job.data.seal) return;
        const attempt = job.attemptsMade > 1 ? ` (attempt ${job.attemptsMade})` : '';
        process.stderr.write(
          `koppel worker: chunk ${chunkName(job.data.runId, job.id ?? '?')} of run ${job.data.runId} failed${attempt}: ${error.message}\n`,
        );
      });
      process.stderr.write(
        `koppel worker: ready on ${deployment.url} (prefix ${deployment.keys.prefix}, ${concurrency} chunks at once); Ctrl-C hands chunks back\n`,
      );
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          process.once('SIGINT', () => process.exit(1));
          process.once('SIGTERM', () => process.exit(1));
          process.stderr.write(
            'koppel worker: stopping: finishing requests in flight, handing chunks back\n',
          );
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await running.close();
      await deployment.close();
      process.stderr.write('koppel worker: stopped\n');
      // Everything is closed; a socket BullMQ or undici still winds down must not keep us alive.
      setTimeout(() => process.exit(), 500).unref();
    });
};
