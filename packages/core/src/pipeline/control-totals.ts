import Big from 'big.js';

/** Debit and credit of one administration/journal/period, as exact decimal strings. */
export interface ControlTotal {
  administration: string;
  journal: string;
  year: string;
  period: string;
  entries: number;
  debit: string;
  credit: string;
}

type Json = Record<string, unknown>;

const asObject = (value: unknown): Json | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;

const asList = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : value === undefined ? [] : [value];

/** The sub-object `name` of an element, whether `Objects` is a map or an array of one-key maps. */
function subElements(element: Json, name: string): Json[] {
  const objects = element.Objects;
  const holders = Array.isArray(objects) ? objects.map(asObject) : [asObject(objects)];
  return holders.flatMap((holder) =>
    asList(asObject(holder?.[name])?.Element)
      .map(asObject)
      .filter((e) => e !== undefined),
  );
}

function amount(value: unknown): Big {
  if (value === undefined || value === null || value === '') return new Big(0);
  try {
    return new Big(String(value));
  } catch {
    return new Big(0);
  }
}

/**
 * Control totals of FiEntries documents (debit and credit per administration, journal and
 * period), summed in exact decimal arithmetic. Elements of other shapes are ignored.
 */
export class ControlTotals {
  readonly #totals = new Map<string, { total: ControlTotal; debit: Big; credit: Big }>();

  add(element: unknown): void {
    const header = asObject(asObject(element)?.Fields);
    const lines = subElements(asObject(element) ?? {}, 'FiEntries');
    if (!header || lines.length === 0) return;
    const parts = [header.UnId, header.JoCo, header.Year, header.Peri].map((v) =>
      v === undefined ? '' : String(v),
    );
    const id = parts.join('\u0000');
    let slot = this.#totals.get(id);
    if (!slot) {
      const [administration = '', journal = '', year = '', period = ''] = parts;
      slot = {
        total: { administration, journal, year, period, entries: 0, debit: '0', credit: '0' },
        debit: new Big(0),
        credit: new Big(0),
      };
      this.#totals.set(id, slot);
    }
    slot.total.entries++;
    for (const line of lines) {
      const fields = asObject(line.Fields) ?? {};
      slot.debit = slot.debit.plus(amount(fields.AmDe));
      slot.credit = slot.credit.plus(amount(fields.AmCr));
    }
  }

  /** Totals sorted by administration, journal, year and period. */
  list(): ControlTotal[] {
    return [...this.#totals.values()]
      .map(({ total, debit, credit }) => ({ ...total, debit: debit.toFixed(2), credit: credit.toFixed(2) }))
      .sort((a, b) =>
        [a.administration, a.journal, a.year, a.period]
          .join('|')
          .localeCompare([b.administration, b.journal, b.year, b.period].join('|'), 'en', { numeric: true }),
      );
  }
}
