import { type Simulator, type SimulatorOptions, startSimulator } from '@koppel/afas-sim';
import { type AfasClientOptions, createAfasClient, type ElementSpec } from '../src/index.js';

/** The demo seed's token data (packages/afas-sim/seeds/demo.yaml). */
export const DEMO_HEX = 'cbf5071c07a22081e969fb9dddae0789b5f67b65674c465c8134e9f12fdb3e77';
export const DEMO_XML = `<token><version>1</version><data>${DEMO_HEX}</data></token>`;
export const DEMO_B64 = Buffer.from(DEMO_XML, 'utf8').toString('base64');
/** Every form a user may paste. */
export const TOKEN_FORMS: Record<string, string> = {
  hex: DEMO_HEX,
  xml: DEMO_XML,
  base64: DEMO_B64,
  'base64 with CRLF': `  ${DEMO_B64}\r\n`,
};

export async function withSim(options: SimulatorOptions = {}): Promise<Simulator> {
  return startSimulator({ port: 0, onError: () => undefined, ...options });
}

export function clientFor(sim: Simulator, extra: Partial<AfasClientOptions> = {}) {
  return createAfasClient({
    environmentId: '12345',
    environmentType: 'test',
    url: sim.baseUrl(),
    auth: { type: 'token', token: DEMO_HEX },
    ...extra,
  });
}

/** The "financial mutation sales with VAT" example (reference §3.5). */
export const salesEntry = (ds = 'Factuur'): ElementSpec => ({
  fields: { Year: 2024, Peri: 1, UnId: 1, JoCo: '20', AuNu: true },
  objects: {
    FiEntries: [
      {
        fields: {
          VaAs: '2',
          AcNr: '10004',
          EnDa: '2024-01-01',
          BpDa: '2024-01-01',
          AmDe: 121,
          AmCr: 0,
          DaEx: '2024-02-01',
          Ds: ds,
        },
      },
      {
        fields: {
          VaAs: '1',
          AcNr: '8010',
          EnDa: '2024-01-01',
          BpDa: '2024-01-01',
          AmDe: 0,
          AmCr: 100,
          VaId: '1',
          Ds: ds,
        },
      },
      {
        fields: {
          VaAs: '1',
          AcNr: '1510',
          EnDa: '2024-01-01',
          BpDa: '2024-01-01',
          AmDe: 0,
          AmCr: 21,
          VaId: '1',
          Ds: ds,
        },
      },
    ],
  },
});
