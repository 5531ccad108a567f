import type { Simulator } from '@koppel/afas-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AfasClient, AfasOtpInvalidError, ProfitError, requestOtp, validateOtp } from '../src/index.js';
import { clientFor, DEMO_XML, withSim } from './helpers.js';

let sim: Simulator;
let client: AfasClient;

beforeAll(async () => {
  sim = await withSim();
  client = clientFor(sim);
});
afterAll(() => sim.close());

describe('special connectors', () => {
  it('reads the Profit version', async () => {
    expect(await client.profitVersion()).toBe('22.22.5');
  });

  it('reads a subject attachment', async () => {
    const file = await client.subjectFile(2, '1D2C3B4A5F6E4D3C2B1A0F9E8D7C6B5A');
    expect(file.filename).toBe('example.png');
    expect(file.mimetype).toBe('image/png');
    expect(file.data.subarray(1, 4).toString()).toBe('PNG');
  });

  it('reads a file by id and percent-encoded original name', async () => {
    const file = await client.file('9F3A6C1E2B4D4E8F9A0B1C2D3E4F5A6B', 'factuur INK00200.txt');
    expect(file).toMatchObject({ filename: 'factuur INK00200.txt', mimetype: 'text/plain' });
    expect(file.data.toString('utf8')).toBe('Factuur INK00200 – Café Noël\n');
  });

  it('answers 404 for a wrong file name', async () => {
    const error = await client.file('9F3A6C1E2B4D4E8F9A0B1C2D3E4F5A6B', 'other.txt').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProfitError);
    expect(error).toMatchObject({ status: 404 });
  });

  it.each(['original', 'thumbnail', 'medium'] as const)('reads an image (%s)', async (size) => {
    const image = await client.image(1, size);
    expect(image.mimetype).toBe('image/png');
    expect(image.filename).toBeUndefined();
    expect(image.data.length).toBe(70);
  });

  it('reads a report as a PDF', async () => {
    const report = await client.report('6D2A4E0C-3B9F-4C1D-8E7A-5F6B7C8D9E0F', [
      { field: 'DebtorId', op: 'eq', value: '10001' },
    ]);
    expect(report.mimetype).toBe('application/pdf');
    expect(report.data.subarray(0, 5).toString()).toBe('%PDF-');
  });
});

describe('OTP', () => {
  const base = () => ({
    environmentId: '12345',
    url: sim.baseUrl(),
    apiKey: 'DEMO-API-KEY',
    apiToken: 'DEMO-ENV-KEY',
    userId: '12345.koppel',
  });

  it('requests a code and exchanges it for a token without the CRLF', async () => {
    await requestOtp(base());
    const token = await validateOtp({ ...base(), otp: '34264813' });
    expect(token).toBe(DEMO_XML);
    const client = clientFor(sim, { auth: { type: 'token', token } });
    expect((await client.metainfo()).info?.appName).toBe('Koppel');
  });

  it('throws a typed error for a wrong code (204)', async () => {
    await expect(validateOtp({ ...base(), otp: '00000000' })).rejects.toThrow(AfasOtpInvalidError);
    await expect(validateOtp({ ...base(), otp: '00000000' })).rejects.toThrow(
      'Expected AFAS to accept the one-time code, got 204 No Content: the code is wrong or expired. Request a new code.',
    );
  });
});
