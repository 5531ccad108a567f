import { normalizeToken } from '@koppel/afas';
import { loadSeed, recordedSeed, type Seed, startSimulator, tokenXml } from '@koppel/afas-sim';
import type { Command } from 'commander';
import { wholeNumber } from '../options.js';
import type { RegisterCommand } from './index.js';

interface SimOptions {
  port: number;
  host: string;
  seed?: string;
  metainfo?: string;
  faults?: string;
  openReferences?: boolean;
}

/**
 * `koppel sim [--port 8080] [--host 127.0.0.1] [--seed file] [--metainfo DIR] [--faults file] [--open-references]`:
 * serves the AFAS Profit REST simulator until Ctrl-C, printing the base URL, the token and an example curl.
 */
export const registerSim: RegisterCommand = (program: Command) => {
  program
    .command('sim')
    .option(
      '--port <port>',
      'TCP port (0 picks a free one)',
      wholeNumber('--port', { min: 0, max: 65535 }),
      8080,
    )
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--seed <file>', 'seed file (YAML/JSON); default the built-in demo seed')
    .option(
      '--metainfo <dir>',
      'serve an environment recorded by `koppel metainfo pull --out DIR`: its UpdateConnectors, GetConnectors and App Connector (with --seed: in every seed environment that names no recording)',
    )
    .option('--faults <file>', 'fault plan (YAML/JSON); default no faults')
    .option(
      '--open-references',
      'accept any well-formed value in reference fields (countries, journals, accounts, …) instead of checking the seeded tables',
    )
    .action(async (options: SimOptions) => {
      const port = options.port;
      const seed = seedOf(options);
      const sim = await startSimulator({
        port,
        host: options.host,
        seed,
        faults: options.faults,
        ...(options.openReferences ? { update: { openReferences: true } } : {}),
      });
      const environment = seed.environments[0];
      const token = environment?.tokens?.[0]?.data;
      const base = sim.baseUrl(environment?.id);
      process.stdout.write(
        [
          `AFAS Profit simulator listening on ${sim.url}`,
          `base URL:   ${base}`,
          ...(options.metainfo ? [`metainfo:   ${recordingLine(environment, options.metainfo)}`] : []),
          `token:      ${token ? tokenXml(token) : '(the seed has no tokens)'}`,
          `control:    ${sim.url}/__sim/stats (also /__sim/journal, POST /__sim/reset, PUT /__sim/faults)`,
          'try:',
          `  curl -s -H 'Authorization: ${token ? normalizeToken(token).header : 'AfasToken …'}' ${base}/metainfo`,
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

/** The seed: the recorded environment alone, the seed file with the recording, or the seed file (default the demo). */
function seedOf(options: SimOptions): Seed {
  if (options.metainfo === undefined) return loadSeed(options.seed);
  if (options.seed === undefined) return recordedSeed(options.metainfo);
  return loadSeed(options.seed, { metainfo: options.metainfo });
}

/** `169 UpdateConnectors, 15 GetConnectors recorded from {url} at {time}` for the first environment. */
function recordingLine(environment: Seed['environments'][number] | undefined, dir: string): string {
  const recorded = typeof environment?.metainfo === 'object' ? environment.metainfo : undefined;
  if (!recorded) return dir;
  const { updateConnectors, getConnectors, baseUrl, pulledAt } = recorded.environment;
  return `${updateConnectors.length} UpdateConnectors, ${getConnectors.length} GetConnectors recorded from ${baseUrl} at ${pulledAt} (${dir})`;
}
