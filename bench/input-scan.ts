/**
 * What the whole-file input scan (`scanInput`: encoding decided from every byte, undecodable
 * bytes and control characters refused) costs next to reading the records, on a generated
 * FiEntries CSV (the line shape of plan-throughput.ts). Usage: `npx tsx bench/input-scan.ts [lines]`.
 * Prints one line per measurement (best of 3): the scan alone, reading every record, and the scan
 * on the same file in Windows-1252 (auto takes the slow path: a census of every byte).
 */
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ScanOptions, scanInput } from '../packages/core/src/encoding/scan-input.js';
import { openCsvSource } from '../packages/core/src/sources/csv-source.js';

async function generate(
  file: string,
  lines: number,
  description: string,
  encoding: BufferEncoding,
): Promise<void> {
  const out = createWriteStream(file);
  const write = (text: string) =>
    out.write(Buffer.from(text, encoding))
      ? Promise.resolve()
      : new Promise<void>((resolve) => out.once('drain', () => resolve()));
  await write('entry_no;year;period;journal;kind;account;date;voucher;description;debit;credit\n');
  let chunk = '';
  for (let i = 0; i < lines; i++) {
    const entry = 100000 + Math.floor(i / 4);
    const n = i % 4;
    const amount = `${1 + (entry % 997)}.${String(entry % 1000).padStart(3, '0')},${String(entry % 100).padStart(2, '0')}`;
    const day = String(1 + (entry % 28)).padStart(2, '0');
    chunk += `${entry};2024;${1 + (entry % 12)};20;${n === 0 ? 'debiteur' : 'grootboek'};${n === 0 ? '10001' : '8010'};${day}-01-2024;V${entry};${description} ${n} van boeking ${entry};${n < 2 ? amount : ''};${n < 2 ? '' : amount}\n`;
    if (chunk.length > 1 << 16) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk);
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
}

async function best(
  rounds: number,
  run: () => Promise<unknown>,
): Promise<{ seconds: number; result: unknown }> {
  let seconds = Number.POSITIVE_INFINITY;
  let result: unknown;
  for (let i = 0; i < rounds; i++) {
    const start = process.hrtime.bigint();
    result = await run();
    seconds = Math.min(seconds, Number(process.hrtime.bigint() - start) / 1e9);
  }
  return { seconds, result };
}

async function main(): Promise<void> {
  const lines = Number(process.argv[2] ?? 1_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'koppel-scan-bench-'));
  try {
    const utf8 = join(dir, 'entries.csv');
    const cp1252 = join(dir, 'entries-1252.csv');
    await generate(utf8, lines, 'Regel café', 'utf8');
    await generate(cp1252, lines, 'Regel café', 'latin1');
    const scan = (path: string): ScanOptions => ({
      path,
      file: path,
      gzip: false,
      encoding: 'auto',
      invalidBytes: 'error',
      allowEmpty: false,
      allowEmptyOption: 'source.csv.allow_empty',
    });
    const mb = (path: string) => (statSync(path).size / 1e6).toFixed(0);
    const show = (name: string, seconds: number, extra = '') =>
      process.stdout.write(`${name.padEnd(44)} ${seconds.toFixed(3).padStart(7)} s${extra}\n`);
    process.stdout.write(
      `input scan, ${lines} FiEntries lines (${mb(utf8)} MB), best of 3, Node ${process.version}\n`,
    );
    const scanned = await best(3, () => scanInput(scan(utf8)));
    show('scan (auto, UTF-8)', scanned.seconds, `  ${JSON.stringify(scanned.result)}`);
    const source = await openCsvSource({ path: utf8 });
    const read = await best(3, async () => {
      let n = 0;
      for await (const batch of source.batches()) n += batch.length;
      return n;
    });
    show('read every record (after the scan)', read.seconds, `  ${read.result} records`);
    show(
      'scan share of open + read',
      scanned.seconds,
      `  ${((100 * scanned.seconds) / (scanned.seconds + read.seconds)).toFixed(0)} %`,
    );
    const slow = await best(3, () => scanInput(scan(cp1252)));
    show('scan (auto, Windows-1252: byte census)', slow.seconds, `  ${JSON.stringify(slow.result)}`);
    const declared = await best(3, () => scanInput({ ...scan(cp1252), encoding: 'windows-1252' }));
    show('scan (declared windows-1252)', declared.seconds);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
