import { afasTokenHeader, loadSeed, startSimulator, tokenXml } from '@koppel/afas-sim';
import type { Command } from 'commander';
import type { RegisterCommand } from './index.js';

interface SimOptions {
  port: string;
  host: string;
  seed?: string;
  faults?: string;
}

/**
 * `koppel sim [--port 8080] [--host 127.0.0.1] [--seed file] [--faults file]`: serves the AFAS
 * Profit REST simulator until Ctrl-C, printing the base URL, the demo token and an example curl.
 */
export const registerSim: RegisterCommand = (program: Command, setExitCode) => {
  program
    .command('sim')
    .description(
      'Run a local AFAS Profit REST simulator (metainfo, GetConnectors, UpdateConnectors, faults).',
    )
    .option('--port <port>', 'TCP port (0 picks a free one)', '8080')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--seed <file>', 'seed file (YAML/JSON); default the built-in demo seed')
    .option('--faults <file>', 'fault plan (YAML/JSON); default no faults')
    .action(async (options: SimOptions) => {
      const port = Number(options.port);
      if (!/^\d+$/.test(options.port) || port > 65535) {
        process.stderr.write(`koppel: expected --port to be a number 0-65535, got \`${options.port}\`\n`);
        setExitCode(2);
        return;
      }
      const seed = loadSeed(options.seed);
      const sim = await startSimulator({ port, host: options.host, seed, faults: options.faults });
      const environment = seed.environments[0];
      const token = environment?.tokens?.[0]?.data;
      const base = sim.baseUrl(environment?.id);
      process.stdout.write(
        [
          `AFAS Profit simulator listening on ${sim.url}`,
          `base URL:   ${base}`,
          `token:      ${token ? tokenXml(token) : '(the seed has no tokens)'}`,
          `control:    ${sim.url}/__sim/stats (also /__sim/journal, POST /__sim/reset, PUT /__sim/faults)`,
          'try:',
          `  curl -s -H 'Authorization: ${token ? afasTokenHeader(token) : 'AfasToken …'}' ${base}/metainfo`,
          'Press Ctrl-C to stop.',
          '',
        ].join('\n'),
      );
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await sim.close();
      process.stdout.write('simulator stopped\n');
    });
};
