import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Simulator, startSimulator } from '@koppel/afas-sim';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { storedEntries, writeEntriesFixture } from './helpers/entries-fixture.js';

const ENV = { KOPPEL_RETRY_BASE_MS: '5', KOPPEL_RETRY_MAX_MS: '50', KOPPEL_VERIFY_DELAY_MS: '0' };
const HEADER = 'entry_no;period;account;voucher_no;description;amount;amount_credit\n';

/** `count` balanced entries (two lines each) whose descriptions hold `text` (any encoding). */
function entries(count: number, text: (i: number) => Buffer): Buffer[] {
  const parts: Buffer[] = [Buffer.from(HEADER)];
  for (let i = 0; i < count; i++) {
    const voucher = `E${String(i).padStart(6, '0')}`;
    const period = 1 + (i % 7);
    parts.push(
      Buffer.from(`${voucher};${period};4000;${voucher};`),
      text(i),
      Buffer.from(`;${10 + (i % 90)},50;\n`),
    );
    parts.push(Buffer.from(`${voucher};${period};1100;${voucher};Tegenboeking;;${10 + (i % 90)},50\n`));
  }
  return parts;
}

/** Line (1-based), column and byte offset of `needle` in `bytes`. */
function positionOf(
  bytes: Buffer,
  needle: number,
  from = 0,
): { line: number; column: number; byteOffset: number } {
  const byteOffset = bytes.indexOf(needle, from);
  const before = bytes.subarray(0, byteOffset);
  const line = before.toString('latin1').split('\n').length;
  const lineStart = before.lastIndexOf(0x0a) + 1;
  return { line, column: [...bytes.subarray(lineStart, byteOffset).toString('utf8')].length + 1, byteOffset };
}

async function findFile(dir: string, name: string): Promise<string | undefined> {
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name === name) return join(entry.parentPath, entry.name);
  }
  return undefined;
}

describe('input encoding: decoded exactly or refused before anything is sent', () => {
  let sim: Simulator;
  let dir: string;
  let jobFile: string;
  beforeEach(async () => {
    sim = await startSimulator({ port: 0 });
    dir = await mkdtemp(join(tmpdir(), 'koppel-encoding-'));
    jobFile = (await writeEntriesFixture(dir, sim, { count: 1, verify: false })).jobFile;
  });
  afterEach(async () => {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Requests that could have written something (anything but GET) and the journal's entries. */
  const sent = () => ({
    writes: sim.control.stats().requests.filter((r) => r.method !== 'GET').length,
    journal: sim.control.journal().length,
  });

  const setEncoding = async (encoding: string) => {
    const job = await readFile(jobFile, 'utf8');
    await writeFile(jobFile, job.replace('delimiter: ";",', `delimiter: ";", encoding: ${encoding},`));
  };

  it('auto: one stray Latin-1 byte at the END of a large UTF-8 file is refused with line:col, byte offset and candidates; nothing sent', async () => {
    const parts = entries(20_000, () => Buffer.from('Café Zoë Müller'));
    parts.push(Buffer.from('E999999;1;4000;E999999;Caf'), Buffer.from([0xe9]), Buffer.from(';1,00;\n'));
    const bytes = Buffer.concat(parts);
    expect(bytes.length).toBeGreaterThan(1_500_000);
    await writeFile(join(dir, 'entries.csv'), bytes);
    const at = positionOf(bytes, 0xe9, bytes.length - 20);
    expect(at.line).toBe(40_002);
    const result = await runCli(['run', jobFile], { cwd: dir, env: ENV });
    expect(result.code).toBe(1);
    const line = result.stderr.trim();
    expect(line.split('\n')).toHaveLength(1);
    expect(line).toBe(
      `koppel: entries.csv:${at.line}:${at.column}: \`encoding: auto\` cannot decide: byte 0xE9 at byte offset ${at.byteOffset} is not valid UTF-8, but the file also has valid UTF-8 characters (the first at 2:27), so it is probably UTF-8 with a stray byte from another encoding. Candidates: utf-8, windows-1252, iso-8859-1, iso-8859-15. Fix the byte, or set \`encoding:\` to the file's real encoding; nothing was sent`,
    );
    expect(sent()).toEqual({ writes: 0, journal: 0 });
  });

  it('declared utf-8: a bad byte at record 863 stops the run before the first request', async () => {
    const parts = entries(1_500, (i) =>
      i === 431 ? Buffer.from([0x4b, 0x72, 0xfc, 0x67]) : Buffer.from('Krüg'),
    );
    const bytes = Buffer.concat(parts);
    await writeFile(join(dir, 'entries.csv'), bytes);
    await setEncoding('utf-8');
    const at = positionOf(bytes, 0xfc);
    expect(at.line).toBe(864); // record 863: entry 431's first line
    const result = await runCli(['run', jobFile], { cwd: dir, env: ENV });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      `koppel: entries.csv:864:${at.column}: invalid UTF-8 at byte offset ${at.byteOffset} (bytes 0xFC 0x67 0x3B 0x38); the job declares \`encoding: utf-8\`, but this byte is not text in it. Declare the file's real encoding (\`encoding: ...\`) or fix the byte; nothing was sent`,
    );
    expect(sent()).toEqual({ writes: 0, journal: 0 });
  });

  it('windows-1252: each of the five undefined bytes is refused (preview and run), nothing sent', async () => {
    await setEncoding('windows-1252');
    for (const byte of [0x81, 0x8d, 0x8f, 0x90, 0x9d]) {
      const bytes = Buffer.concat(entries(3, (i) => Buffer.from(i === 2 ? [0x41, byte] : [0x80, 0x41])));
      await writeFile(join(dir, 'entries.csv'), bytes);
      const at = positionOf(bytes, byte);
      const hex = byte.toString(16).toUpperCase();
      const expected = `koppel: entries.csv:${at.line}:${at.column}: a byte Windows-1252 leaves undefined at byte offset ${at.byteOffset} (bytes 0x${hex}); the job declares \`encoding: windows-1252\``;
      const preview = await runCli(['preview', jobFile], { cwd: dir });
      expect(preview.code).toBe(1);
      expect(preview.stderr.trim()).toContain(expected);
      if (byte === 0x81) {
        const run = await runCli(['run', jobFile], { cwd: dir, env: ENV });
        expect(run.code).toBe(1);
        expect(run.stderr.trim()).toContain(expected);
      }
    }
    expect(sent()).toEqual({ writes: 0, journal: 0 });
  });

  it('plan, preview and the run report name the encoding and why; a Windows-1252 file is read exactly', async () => {
    const bytes = Buffer.concat(entries(40, () => Buffer.from('Caf\xe9 \x80 5 \x93ok\x94', 'latin1')));
    await writeFile(join(dir, 'entries.csv'), bytes);
    const reason = `windows-1252 (detected: not UTF-8 (byte 0xE9 at 2:27, byte offset ${HEADER.length + 26}); bytes 0x80-0x9F are text only in windows-1252)`;
    const plan = await runCli(['plan', jobFile], { cwd: dir, env: ENV });
    expect(plan.code).toBe(0);
    expect(plan.stderr).toContain(`plan: entries.csv: ${reason}\n`);
    const preview = await runCli(['preview', jobFile, '--limit', '1'], { cwd: dir });
    expect(preview.stdout).toContain(`entries.csv: csv, ${reason}, delimiter ";"`);
    const run = await runCli(['run', jobFile], { cwd: dir, env: ENV });
    expect(run.code).toBe(0);
    const report = JSON.parse(await readFile((await findFile(dir, 'report.json'))!, 'utf8'));
    expect(report.inputEncoding).toBe(reason);
    expect(storedEntries(sim).size).toBe(40);
    const descriptions = new Set(
      sim.control.journal({ table: 'entries' }).map((e) => e.row.Description as string),
    );
    expect(descriptions).toEqual(new Set(['Café € 5 “ok”', 'Tegenboeking']));

    await writeFile(join(dir, 'entries.csv'), Buffer.concat(entries(2, () => Buffer.from('Zoë'))));
    const utf8 = await runCli(['plan', jobFile], { cwd: dir, env: ENV });
    const size = Buffer.concat(entries(2, () => Buffer.from('Zoë'))).length;
    expect(utf8.stderr).toContain(
      `plan: entries.csv: utf-8 (detected: valid UTF-8 over all ${size} bytes)\n`,
    );
  });
});
