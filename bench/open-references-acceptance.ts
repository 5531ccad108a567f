/**
 * How much of what AFAS documents the simulator accepts with `--open-references`: for every
 * UpdateConnector of the facts file (../shared/reference/afas-oas/update-connectors.json, or the
 * path given) it builds a payload from the facts alone — every field with a value valid for its
 * type, length and code list, every nested object with one element — and posts it unchanged
 * (POST, or PUT for connectors AFAS documents for PUT only). A second pass sends the required
 * fields only, into an environment without stored rows. It prints the accepted fraction per AFAS
 * area, and every refusal with the AFAS rule that explains it, or the simulator's documented guess
 * beyond the facts (a plug-in requiring a field AFAS marks optional); a refusal neither explains is
 * a simulator bug and makes the exit code 1.
 *
 *   node --conditions=@koppel/source --import tsx bench/open-references-acceptance.ts [facts.json]
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afasTokenHeader, DEMO_TOKEN, loadSeed, startSimulator } from '@koppel/afas-sim';
import type { FactField, FactObject, FactsFile } from '../packages/afas-sim/src/catalog/build.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const factsPath = resolve(
  process.argv[2] ?? resolve(root, '../shared/reference/afas-oas/update-connectors.json'),
);
const facts = JSON.parse(readFileSync(factsPath, 'utf8')) as FactsFile;

/** A value AFAS's facts allow for the field: its first code, else one of its type and format. */
function valueFor(field: FactField): string | number | boolean {
  if (field.enum?.length) return field.enum[0] as string;
  switch (field.type) {
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return false;
  }
  switch (field.format) {
    case 'date':
      return '2024-03-01';
    case 'date-time':
      return '2024-03-01T10:00:00';
    case 'byte':
      return 'QUZBUw==';
    default:
      return 'A';
  }
}

type Element = { Fields: Record<string, unknown>; Objects?: Record<string, { Element: Element }>[] };

/** One element of an object: every field (or the required ones), and one element of every nested object. */
function elementOf(object: FactObject, requiredOnly: boolean): Element {
  const fields = Object.entries(object.fields ?? {}).filter(([, field]) => !requiredOnly || field.required);
  const element: Element = { Fields: Object.fromEntries(fields.map(([id, field]) => [id, valueFor(field)])) };
  const nested = requiredOnly ? [] : Object.entries(object.objects ?? {});
  if (nested.length > 0) {
    element.Objects = nested.map(([name, child]) => ({ [name]: { Element: elementOf(child, false) } }));
  }
  return element;
}

/** AFAS rules (reference §3.5, §5.3 and the facts) a refusal of a payload built from the facts can come from. */
const RULES: [RegExp, string][] = [
  [/^Vul een waarde in bij/, 'GUESS: a plug-in requires a field AFAS marks optional (src/update/README.md)'],
  [/11-proef/, 'BSN must pass the 11-test (KnPerson SoSe)'],
  [/niet in balans/, 'a journal entry must balance'],
  [/geen boekingsregels/, 'GUESS: a journal entry needs lines (AFAS marks its FiEntries object optional)'],
  [/geblokkeerde periode|periode \d+ van het jaar/, 'no entries in a blocked period'],
  [/geslacht verplicht/, 'a person needs a gender'],
  [/onvolledig adres/, 'an address needs street, number, zip code and city'],
  [/Postbusadres/, 'a PO box address has no house-number addition'],
  [/Verbijzonderingscode/, 'the account requires an allocation code'],
  [/primaire sleutel bestaat al/, 'the key exists already'],
  [/Het record met .* bestaat niet/, 'PUT updates an existing record (none with these keys)'],
  [/accepteert maar 1 regel/, 'a one-line sub-object'],
];

interface Outcome {
  id: string;
  area: string;
  accepted: boolean;
  message?: string;
  rule?: string;
}

// The demo environment without its stored rows: a payload meets no record it was not sent with.
const demo = loadSeed();
const seed = {
  environments: demo.environments.map((env, index) =>
    index === 0 ? { ...env, tables: {}, generate: {} } : env,
  ),
};
const sim = await startSimulator({
  port: 0,
  seed,
  update: { openReferences: true },
  onError: () => undefined,
});
const headers = {
  authorization: afasTokenHeader(DEMO_TOKEN),
  'accept-language': 'nl-nl',
  'content-type': 'application/json',
};

async function post(requiredOnly: boolean): Promise<Outcome[]> {
  await fetch(`${sim.url}/__sim/reset`, { method: 'POST' });
  const outcomes: Outcome[] = [];
  for (const [id, connector] of Object.entries(facts.connectors)) {
    const tree = connector.POST ?? connector.PUT;
    if (!tree) continue;
    const body = { [connector.root ?? id]: { Element: elementOf(tree, requiredOnly) } };
    const response = await fetch(`${sim.baseUrl()}/connectors/${id}`, {
      method: connector.POST ? 'POST' : 'PUT',
      headers,
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (response.ok) {
      outcomes.push({ id, area: connector.area, accepted: true });
      continue;
    }
    let message = text;
    try {
      message = (JSON.parse(text) as { externalMessage?: string }).externalMessage ?? text;
    } catch {}
    const rule = RULES.find(([pattern]) => pattern.test(message))?.[1];
    outcomes.push({ id, area: connector.area, accepted: false, message, ...(rule ? { rule } : {}) });
  }
  return outcomes;
}

const pct = (part: number, whole: number): string => `${((100 * part) / Math.max(whole, 1)).toFixed(1)}%`;
let unexplained = 0;
let guesses = 0;
for (const [name, requiredOnly] of [
  ['every field', false],
  ['required fields only', true],
] as const) {
  const outcomes = await post(requiredOnly);
  const accepted = outcomes.filter((outcome) => outcome.accepted).length;
  process.stdout.write(
    `\n== ${name}: ${accepted} of ${outcomes.length} connectors accepted unchanged (${pct(accepted, outcomes.length)})\n`,
  );
  const areas = [...new Set(outcomes.map((outcome) => outcome.area))].sort();
  for (const area of areas) {
    const own = outcomes.filter((outcome) => outcome.area === area);
    const ok = own.filter((outcome) => outcome.accepted).length;
    process.stdout.write(
      `  ${area.padEnd(34)} ${String(ok).padStart(3)}/${String(own.length).padEnd(3)} ${pct(ok, own.length)}\n`,
    );
  }
  for (const outcome of outcomes.filter((candidate) => !candidate.accepted)) {
    if (!outcome.rule) unexplained++;
    else if (outcome.rule.startsWith('GUESS')) guesses++;
    process.stdout.write(
      `  refused ${outcome.id}: ${outcome.rule ? (outcome.rule.startsWith('GUESS') ? outcome.rule : `AFAS rule: ${outcome.rule}`) : 'NOT EXPLAINED by an AFAS rule'} — ${outcome.message}\n`,
    );
  }
}
await sim.close();
process.stdout.write(
  `\n${unexplained} refusals not explained; ${guesses} by the simulator's guesses beyond AFAS's facts, the rest by AFAS rules\n`,
);
process.exitCode = unexplained === 0 ? 0 : 1;
