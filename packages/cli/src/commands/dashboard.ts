import { connectDeployment, startDashboard } from '@koppel/runner/bullmq';
import type { Command } from 'commander';
import type { RegisterCommand } from './index.js';

/** `koppel dashboard [--port]`: bull-board over the queues plus a runs page, until Ctrl-C. */
export const registerDashboard: RegisterCommand = (program: Command) => {
  program
    .command('dashboard')
    .description('Serve bull-board (queues, jobs) and a runs page for the Redis deployment.')
    .option('--port <n>', 'TCP port (0 picks a free one)', '3000')
    .option(
      '--host <address>',
      'interface to listen on (the board can retry and delete jobs: keep it private)',
      '127.0.0.1',
    )
    .option('--redis <url>', 'Redis URL (default: REDIS_URL, else redis://127.0.0.1:6379)')
    .action(async (options: { port: string; host: string; redis?: string }) => {
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw Object.assign(new Error(`Expected --port to be an integer 0-65535, got \`${options.port}\``), {
          code: 'KOPPEL_USAGE',
        });
      }
      const deployment = await connectDeployment({ ...(options.redis ? { redis: options.redis } : {}) });
      const dashboard = await startDashboard({
        redis: deployment.redis,
        keys: deployment.keys,
        port,
        host: options.host,
      });
      process.stdout.write(
        `koppel dashboard: ${dashboard.url}/runs (queues at ${dashboard.url}/queues); Ctrl-C stops it\n`,
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
