/**
 * The docs agree with the code: every port they name is one the code uses (a default of `koppel
 * sim`, `koppel dashboard`, Redis, or one a page starts with `--port N`), every repository path
 * and relative link exists, no link leaves the repository, and every markdown table has the same
 * number of cells in each row (an unescaped `|` in a cell breaks it).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/cli.js';

const PAGES = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
  ...readdirSync(join(ROOT, 'packages'))
    .map((name) => `packages/${name}/README.md`)
    .filter((page) => existsSync(join(ROOT, page))),
];

const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

/** The default of a commander option `--port` in a command's source (the number after the parser). */
function defaultPort(source: string): number {
  const match = /\.option\(\s*'--port <\w+>'[\s\S]*?,\s*(\d+),?\s*\)/.exec(read(source));
  if (!match) throw new Error(`no --port default found in ${source}`);
  return Number(match[1]);
}

const SIM_PORT = defaultPort('packages/cli/src/commands/sim.ts');
const DASHBOARD_PORT = defaultPort('packages/cli/src/commands/dashboard.ts');
const REDIS_PORT = Number(
  /DEFAULT_REDIS_URL = 'redis:\/\/127\.0\.0\.1:(\d+)'/.exec(
    read('packages/runner/src/bullmq/redis-options-file.ts'),
  )?.[1],
);

/** The ports in the default connection URLs (`${AFAS_URL:-http://127.0.0.1:8044/…}`) of a jobs/ folder. */
function jobPorts(folder: string): number[] {
  const dir = join(ROOT, 'jobs', folder);
  if (!existsSync(dir)) return [];
  const ports = new Set<number>();
  for (const name of readdirSync(dir).filter((file) => /\.ya?ml$/.test(file))) {
    for (const match of readFileSync(join(dir, name), 'utf8').matchAll(/:-https?:\/\/127\.0\.0\.1:(\d+)\//g))
      ports.add(Number(match[1]));
  }
  return [...ports];
}

interface Line {
  page: string;
  line: number;
  text: string;
}

/** The lines of a page outside fenced code blocks (tables and links), and every line (ports, paths). */
function linesOf(page: string): { prose: Line[]; all: Line[] } {
  const prose: Line[] = [];
  const all: Line[] = [];
  let fenced = false;
  read(page)
    .split('\n')
    .forEach((text, index) => {
      const line = { page, line: index + 1, text };
      all.push(line);
      if (/^\s*(```|~~~)/.test(text)) fenced = !fenced;
      else if (!fenced) prose.push(line);
    });
  return { prose, all };
}

const at = (line: Line): string => `${line.page}:${line.line}`;

describe('docs consistency', () => {
  it('reads the defaults it checks against from the code', () => {
    expect([SIM_PORT, DASHBOARD_PORT, REDIS_PORT].every(Number.isInteger)).toBe(true);
    expect(PAGES.length).toBeGreaterThan(8);
  });

  it('names only ports the code uses: a default, or one the page starts with --port', () => {
    const problems: string[] = [];
    for (const page of PAGES) {
      const { all } = linesOf(page);
      const text = all.map((line) => line.text).join('\n');
      const started = new Set([...text.matchAll(/--port[ =](\d+)/g)].map((match) => Number(match[1])));
      for (const line of all) {
        // `[--port N]` in a synopsis shows the default: it must be the code's.
        for (const match of line.text.matchAll(/koppel (sim|dashboard)[^|`\n]*?\[--port (\d+)\]/g)) {
          const want = match[1] === 'sim' ? SIM_PORT : DASHBOARD_PORT;
          if (Number(match[2]) !== want)
            problems.push(`${at(line)}: koppel ${match[1]} [--port ${match[2]}], its default is ${want}`);
        }
        // A job the page runs against `koppel sim` connects to a port by default: the sim's, or one the page starts.
        for (const match of line.text.matchAll(
          /\bkoppel (?:run|extract|plan|submit) jobs\/([\w-]+)(?![^\n]*--sim)/g,
        )) {
          const port = jobPorts(match[1] as string).find((one) => one !== SIM_PORT && !started.has(one));
          if (port !== undefined)
            problems.push(
              `${at(line)}: the page runs jobs/${match[1]}, whose jobs connect to port ${port} by default, but koppel sim listens on ${SIM_PORT}; say \`koppel sim --port ${port}\` on the page`,
            );
        }
        for (const match of line.text.matchAll(/(?:127\.0\.0\.1|localhost):(\d+)/g)) {
          const port = Number(match[1]);
          if ([SIM_PORT, DASHBOARD_PORT, REDIS_PORT].includes(port) || started.has(port)) continue;
          problems.push(
            `${at(line)}: port ${port} is no default (sim ${SIM_PORT}, dashboard ${DASHBOARD_PORT}, Redis ${REDIS_PORT}) and the page starts nothing with --port ${port}`,
          );
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('every relative link and repository path exists, and no link leaves the repository', () => {
    const problems: string[] = [];
    for (const page of PAGES) {
      const dir = dirname(join(ROOT, page));
      const packageDir = page.startsWith('packages/') ? dir : ROOT;
      for (const line of linesOf(page).all) {
        const targets = [
          ...[...line.text.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => ({
            link: true,
            target: match[1] as string,
          })),
          ...[...line.text.matchAll(/`([^`\s]+)`/g)].map((match) => ({
            link: false,
            target: match[1] as string,
          })),
        ];
        for (const { link, target } of targets) {
          if (/^[a-z][\w+.-]*:/i.test(target) || target.startsWith('#')) continue; // https:, mailto:, anchors
          const path = target.replace(/#.*$/, '');
          if (path.startsWith('/') || path.startsWith('~')) {
            if (link || /^\/(home|work|tmp|Users|etc)\//.test(path))
              problems.push(`${at(line)}: ${target} is an absolute path outside the repository`);
            continue;
          }
          const outside = (full: string) => relative(ROOT, full).startsWith('..');
          if (link) {
            const full = resolve(dir, path);
            if (outside(full)) problems.push(`${at(line)}: ${target} leaves the repository`);
            else if (!existsSync(full)) problems.push(`${at(line)}: link ${target} does not exist`);
            continue;
          }
          if (path.startsWith('../')) {
            // Written relative to the page or to the repository root: either way it must stay inside.
            const full = [resolve(dir, path), resolve(ROOT, path)];
            if (full.some((one) => !outside(one) && existsSync(one))) continue;
            problems.push(
              `${at(line)}: ${target} ${full.some(outside) ? 'leaves the repository' : 'does not exist'}`,
            );
            continue;
          }
          // A repository path in backticks: jobs/…, docs/…, packages/…, src/… (of the package), ….
          if (!/^(jobs|docs|packages|schemas|scripts|test|bench|src)\/[\w./-]*[\w/]$/.test(path)) continue;
          const base = path.startsWith('src/') ? packageDir : ROOT;
          if (!existsSync(join(base, path)) && !existsSync(join(dir, path)))
            problems.push(`${at(line)}: ${path} does not exist`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('every markdown table has as many cells in each row as in its header', () => {
    const problems: string[] = [];
    const cells = (text: string): number =>
      text
        .trim()
        .replace(/^\||\|$/g, '')
        .split(/(?<!\\)\|/).length;
    for (const page of PAGES) {
      let header: Line | undefined;
      let count = 0;
      for (const line of linesOf(page).prose) {
        if (!line.text.trimStart().startsWith('|')) {
          header = undefined;
          continue;
        }
        if (!header) {
          header = line;
          count = cells(line.text);
        } else if (cells(line.text) !== count) {
          problems.push(
            `${at(line)}: ${cells(line.text)} cells, the table's header (line ${header.line}) has ${count}; escape a | inside a cell as \\|`,
          );
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
