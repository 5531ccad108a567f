import { request } from 'node:http';
import { afasTokenHeader, type Simulator } from '../../src/index.js';

/** The demo seed's token data (seeds/demo.yaml). */
export const DEMO_TOKEN = 'cbf5071c07a22081e969fb9dddae0789b5f67b65674c465c8134e9f12fdb3e77';
export const READONLY_TOKEN = '2d2e68941b7aba1431b632a40fb52536cc8e3400f75842255e1fcc33f9ce386a';
export const OFFICE_TOKEN = '7f3c1e0a9b8d6c5e4f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e';
export const OTHER_ENV_TOKEN = '5e4a3c2b1d0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d';
export const AUTH = afasTokenHeader(DEMO_TOKEN);

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
  json: unknown;
}

export interface CallOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Omit the demo Authorization header. */
  anonymous?: boolean;
}

/** One raw HTTP request (exact path bytes, any method, any body). Rejects when the socket is reset. */
export function raw(sim: Simulator, path: string, options: CallOptions = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = options.anonymous ? {} : { authorization: AUTH };
    Object.assign(headers, options.headers);
    if (options.body !== undefined) headers['content-length'] = String(Buffer.byteLength(options.body));
    const req = request(
      { host: '127.0.0.1', port: sim.port, path, method: options.method ?? 'GET', headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          const text = body.toString('utf8');
          let json: unknown;
          try {
            json = text === '' ? undefined : JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text, json });
        });
      },
    );
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/** A request under the first environment's ProfitRestServices base. */
export function call(sim: Simulator, path: string, options: CallOptions = {}): Promise<Reply> {
  return raw(sim, `/12345/ProfitRestServices${path}`, options);
}

/** GET a GetConnector and return its rows (fails the test on a non-200). */
export async function rows(
  sim: Simulator,
  connector: string,
  query: string,
): Promise<Record<string, unknown>[]> {
  const reply = await call(sim, `/connectors/${connector}?${query}`);
  if (reply.status !== 200) throw new Error(`GET ${connector}?${query} -> ${reply.status} ${reply.text}`);
  return (reply.json as { rows: Record<string, unknown>[] }).rows;
}
