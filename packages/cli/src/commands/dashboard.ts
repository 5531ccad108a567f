import { connectDeployment, startDashboard } from '@koppel/runner/bullmq';
import type { Command } from 'commander';
import { wholeNumber } from '../options.js';
import type { RegisterCommand } from './index.js';

/**
 * `koppel dashboard [--port]`: bull-board over the queues plus a runs page (counts, chunks with
 * stalled apart from failed, rate and ETA, connected workers, the re-submit command), until Ctrl-C.
 */
export const registerDashboard: RegisterCommand = (program: Command) => {
  program
    .command('dashboard')
    .option(
      '--port <n>',
      'TCP port (0 picks a free one)',
      wholeNumber('--port', { min: 0, max: 65535 }),
      3000,
    )
    .option(
      '--host <address>',
      'interface to listen on (the board can retry and delete jobs: keep it private)',
      '127.0.0.1',
    )
    .option('--redis <url>', 'Redis URL (default: REDIS_URL, else redis://127.0.0.1:6379)')
    .action(async (options: { port: number; host: string; redis?: string }) => {
      const port = options.port;
      const deployment = await connectDeployment({ ...(options.redis ? { redis: options.redis } : {}) });
      const dashboard = await startDashboard({
        redis: deployment.redis,
        keys: deployment.keys,
        port,
        host: options.host,
      });
      process.stdout.write(
        `koppel dashboard: ${dashboard.url}/runs (runs, chunks, rate, ETA, workers; queues at ${dashboard.url}/queues); Ctrl-C stops it\n`,
      );
      await new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      await dashboard.close();
      await deployment.close();
      setTimeout(() => process.exit(), 500).unref();
    });
};
