/**
 * Streams a generated JSON document (an array of records at `/data/items`) through the core JSON
 * reader and prints rows/s and peak RSS, beside `JSON.parse` of the whole file (numbers through
 * doubles, the whole text in memory; files under 500 MB) as a reference. Each reader runs in its own process so the
 * peak RSS is its own. `BASELINE_SRC=<dir>` adds the `openJsonSource` of another checkout's
 * `packages/core/src` (e.g. one from before a change) to the same run.
 * Usage: `npx tsx bench/json-source.ts [sizeMB]` (default 100). The file is written to
 * os.tmpdir() and deleted afterwards.
 */

import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface Figures {
  rows: number;
  seconds: number;
  maxRssMb: number;
}

const here = fileURLToPath(import.meta.url);
const ownSrc = resolve(here, '../../packages/core/src');

async function readWith(reader: string, path: string): Promise<Figures> {
  const started = process.hrtime.bigint();
  let rows = 0;
  if (reader === 'JSON.parse') {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as { data: { items: unknown[] } };
    rows = parsed.data.items.length;
  } else {
    const src = reader === 'koppel' ? ownSrc : resolve(process.env.BASELINE_SRC ?? '');
    const module = (await import(pathToFileURL(join(src, 'sources/json-source.ts')).href)) as {
      openJsonSource: (options: { path: string; records: string }) => Promise<AsyncIterable<unknown>>;
    };
    for await (const _record of await module.openJsonSource({ path, records: '/data/items' })) rows++;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { rows, seconds, maxRssMb: process.resourceUsage().maxRSS / 1024 };
}

async function generate(path: string, sizeMb: number): Promise<number> {
  const out = createWriteStream(path);
  const target = sizeMb * 1024 * 1024;
  let written = 0;
  let row = 0;
  const write = async (text: string): Promise<void> => {
    const bytes = Buffer.from(text, 'utf8');
    written += bytes.length;
    if (!out.write(bytes)) await once(out, 'drain');
  };
  await write('{"meta": {"source": "bench"},\n "data": {"items": [\n');
  while (written < target) {
    let block = '';
    for (let i = 0; i < 1000; i++) {
      row++;
      block += `${row > 1 ? ',\n' : ''}  {"entry_no": ${row}, "entry_date": "2024-01-31", "account": ${8000 + (row % 97)}, "description": "Zoë Müller-Straße ${row}", "note": "Café \\"quoted\\" \\u00e9", "debit": ${(row % 100000) / 100}, "credit": 0.00, "rate": 1.5e-3, "booked": ${row % 2 === 0}, "ref": null, "lines": [{"vat": 21}, {"vat": 9}]}`;
    }
    await write(block);
  }
  await write('\n]}}\n');
  out.end();
  await once(out, 'finish');
  return written;
}

async function main(): Promise<void> {
  if (process.argv[2] === '--child') {
    const figures = await readWith(process.argv[3] ?? '', process.argv[4] ?? '');
    process.stdout.write(JSON.stringify(figures));
    return;
  }
  const sizeMb = Number(process.argv[2] ?? 100);
  if (!Number.isFinite(sizeMb) || sizeMb <= 0) {
    process.stderr.write(`Expected sizeMB to be a number > 0, got \`${process.argv[2]}\`\n`);
    process.exit(1);
  }
  const path = join(tmpdir(), `koppel-json-source-${process.pid}.json`);
  try {
    const bytes = await generate(path, sizeMb);
    // V8 strings end at 2^29 - 24 characters (~512 MB): JSON.parse cannot read a larger file at all.
    const whole = bytes < 500 * 1024 * 1024;
    const readers = [
      'koppel',
      ...(process.env.BASELINE_SRC ? ['baseline'] : []),
      ...(whole ? ['JSON.parse'] : []),
    ];
    if (!whole)
      process.stdout.write('JSON.parse left out: the file is over the longest string V8 can hold\n');
    process.stdout.write(
      `${(bytes / 1024 / 1024).toFixed(1)} MB JSON in ${path}; load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}\n`,
    );
    const results = new Map<string, Figures>();
    for (const reader of readers) {
      const child = spawnSync(process.execPath, ['--import', 'tsx', here, '--child', reader, path], {
        encoding: 'utf8',
        maxBuffer: 1024 * 1024,
      });
      if (child.status !== 0) throw new Error(`${reader} failed: ${child.stderr}`);
      results.set(reader, JSON.parse(child.stdout) as Figures);
    }
    const own = results.get('koppel') as Figures;
    for (const [reader, f] of results) {
      const rate = f.rows / f.seconds;
      const ratio =
        reader === 'koppel'
          ? ''
          : `  (koppel: ${((own.rows / own.seconds / rate) * 100).toFixed(0)}% of its rows/s, ${((own.maxRssMb / f.maxRssMb) * 100).toFixed(0)}% of its peak RSS)`;
      process.stdout.write(
        `${reader.padEnd(11)} ${f.rows} rows in ${f.seconds.toFixed(2)} s = ${Math.round(rate)} rows/s, ${(bytes / 1024 / 1024 / f.seconds).toFixed(1)} MB/s, peak RSS ${f.maxRssMb.toFixed(0)} MB${ratio}\n`,
      );
    }
    process.stdout.write(
      `load average after: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}\n`,
    );
  } finally {
    await rm(path, { force: true });
  }
}

await main();
