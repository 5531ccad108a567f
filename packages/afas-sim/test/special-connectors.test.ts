import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { afasTokenHeader, type Simulator, startSimulator } from '../src/index.js';
import { call, READONLY_TOKEN } from './helpers/http.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());

const TEXT_FILE = '9F3A6C1E2B4D4E8F9A0B1C2D3E4F5A6B';
const TEXT_NAME = 'factuur INK00200.txt';
const TEXT = 'Factuur INK00200 – Café Noël\n';
const REPORT = '6D2A4E0C-3B9F-4C1D-8E7A-5F6B7C8D9E0F';

describe('special connectors', () => {
  it('profitversion answers exactly {"version":"x.y.z"}', async () => {
    const reply = await call(sim, '/ProfitVersion');
    expect([reply.status, reply.text]).toEqual([200, '{"version":"22.22.5"}']);
  });

  it('subjectconnector/{SubjectId}/{FileId} returns filename, mimetype, filedata', async () => {
    const reply = await call(sim, `/subjectconnector/1/${TEXT_FILE}`);
    expect(reply.json).toEqual({
      filename: TEXT_NAME,
      mimetype: 'text/plain',
      filedata: Buffer.from(TEXT).toString('base64'),
    });
    const query = await call(sim, `/SubjectConnector?SubjectId=1&FileId=${TEXT_FILE}`);
    expect(query.json).toEqual(reply.json);
  });

  it('fileconnector takes the original name in the path or as ?filenameuri=', async () => {
    const path = await call(sim, `/fileconnector/${TEXT_FILE}/${encodeURIComponent(TEXT_NAME)}`);
    expect((path.json as { filename: string }).filename).toBe(TEXT_NAME);
    const query = await call(sim, `/fileconnector/${TEXT_FILE}?filenameuri=${encodeURIComponent(TEXT_NAME)}`);
    expect(query.json).toEqual(path.json);
    expect((await call(sim, `/fileconnector/${TEXT_FILE}/other.txt`)).status).toBe(404);
  });

  it('returns raw bytes in binary mode (header or query)', async () => {
    const header = await call(sim, `/subjectconnector/1/${TEXT_FILE}`, {
      headers: { SendFileAsBinary: '1' },
    });
    expect([header.status, header.headers['content-type'], header.text]).toEqual([200, 'text/plain', TEXT]);
    const query = await call(sim, `/reportconnector/${REPORT}?sendAsBinary=1`);
    expect([query.headers['content-type'], query.body.subarray(0, 5).toString()]).toEqual([
      'application/pdf',
      '%PDF-',
    ]);
  });

  it('imageconnector answers filedata and mimetype for formats 0, 1 and 2', async () => {
    for (const format of ['0', '1', '2']) {
      const reply = await call(sim, `/imageconnector/1?format=${format}`);
      expect(Object.keys(reply.json as object)).toEqual(['filedata', 'mimetype']);
      expect((reply.json as { mimetype: string }).mimetype).toBe('image/png');
    }
    expect((await call(sim, '/imageconnector/1?format=7')).status).toBe(500);
  });

  it('reportconnector returns a base64 PDF', async () => {
    const reply = await call(sim, `/reportconnector/${REPORT}`);
    const body = reply.json as { filedata: string; mimetype: string };
    expect([body.mimetype, Buffer.from(body.filedata, 'base64').subarray(0, 5).toString()]).toEqual([
      'application/pdf',
      '%PDF-',
    ]);
  });

  it.each([
    '/subjectconnector/1/NOPE',
    '/subjectconnector/99/' + TEXT_FILE,
    '/imageconnector/42?format=0',
    '/reportconnector/00000000-0000-0000-0000-000000000000',
  ])('answers 404 for a missing file: %s', async (path) => {
    const reply = await call(sim, path, { headers: { 'accept-language': 'en-us' } });
    expect([reply.status, (reply.json as { externalMessage: string }).externalMessage]).toEqual([
      404,
      'File not found',
    ]);
  });

  it('needs the special connector in the App Connector', async () => {
    const authorization = afasTokenHeader(READONLY_TOKEN);
    expect((await call(sim, '/profitversion', { headers: { authorization } })).status).toBe(500);
    expect((await call(sim, `/subjectconnector/1/${TEXT_FILE}`, { headers: { authorization } })).status).toBe(
      404,
    );
    expect((await call(sim, `/reportconnector/${REPORT}`, { headers: { authorization } })).status).toBe(500);
  });
});
