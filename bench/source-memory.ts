/**
 * Streams a generated CSV through the CSV reader and prints rows/s and peak RSS, to show memory
 * stays flat whatever the input size. Usage: `npx tsx bench/source-memory.ts [sizeMB]` (default 1024).
 * The file is written to os.tmpdir() and deleted afterwards.
 */

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCsvSource } from '../packages/core/src/sources/csv-source.js';

const sizeMb = Number(process.argv[2] ?? 1024);
if (!Number.isFinite(sizeMb) || sizeMb <= 0) {
  process.stderr.write(`Expected sizeMB to be a number > 0, got \`${process.argv[2]}\`\n`);
  process.exit(1);
}
const path = join(tmpdir(), `koppel-source-memory-${process.pid}.csv`);
const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);

async function generate(): Promise<number> {
  const out = createWriteStream(path);
  const target = sizeMb * 1024 * 1024;
  let written = 0;
  let row = 0;
  const header = 'entry_no;entry_date;account;description;note;debit;credit\r\n';
  out.write(header);
  written += Buffer.byteLength(header);
  while (written < target) {
    let block = '';
    for (let i = 0; i < 1000; i++) {
      row++;
      block += `${row};31-01-2024;${8000 + (row % 97)};Zoë Müller-Straße ${row};"Café; ""quoted""";${(row % 100000) / 100};0,00\r\n`;
    }
    const bytes = Buffer.from(block, 'utf8');
    written += bytes.length;
    if (!out.write(bytes)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return written;
}

async function main(): Promise<void> {
  try {
    process.stdout.write(`generating ${sizeMb} MB in ${path} ...\n`);
    const bytes = await generate();
    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sample = (): void => {
      peak = Math.max(peak, process.memoryUsage().rss);
    };
    const timer = setInterval(sample, 50);
    const started = process.hrtime.bigint();
    let rows = 0;
    const source = await openCsvSource({ path });
    for await (const _record of source) {
      rows++;
      if ((rows & 0xffff) === 0) sample();
    }
    clearInterval(timer);
    sample();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    process.stdout.write(
      `read ${mb(bytes)} MB, ${rows} rows in ${seconds.toFixed(1)} s: ${Math.round(rows / seconds)} rows/s, ` +
        `${(bytes / 1024 / 1024 / seconds).toFixed(1)} MB/s\n` +
        `RSS before reading ${mb(baseline)} MB, peak while reading ${mb(peak)} MB (+${mb(peak - baseline)} MB)\n`,
    );
  } finally {
    await rm(path, { force: true });
  }
}

await main();
