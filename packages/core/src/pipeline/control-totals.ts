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
    const root = asObject(element) ?? {};
    const header = asObject(root.Fields);
    const lines = subElements(root, 'FiEntries');
    if (!header || lines.length === 0) return;
    // A field that a recorded metainfo marks primaryKey is an `@Field` attribute of the element.
    const parts = ['UnId', 'JoCo', 'Year', 'Peri'].map((name) => {
      const v = header[name] ?? root[`@${name}`];
      return v === undefined || v === null ? '' : String(v);
    });
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

/** One control-total group's side of the identity: what was read against what was accounted for. */
export interface GroupReconciliation {
  administration: string;
  journal: string;
  year: string;
  period: string;
  read: { entries: number; debit: string; credit: string };
  /** Sum over the categories (done, rejected, delivered, uncertain, …). */
  accounted: { entries: number; debit: string; credit: string };
  /** Entries, debit and credit all equal. */
  holds: boolean;
}

const groupId = (t: Pick<ControlTotal, 'administration' | 'journal' | 'year' | 'period'>): string =>
  [t.administration, t.journal, t.year, t.period].join('\u0000');

/**
 * The identity per administration/journal/period: the totals read equal the sum of the
 * categories' totals (entries, debit and credit, exact decimals). Every group that appears in
 * either side is listed, in the order of `ControlTotals.list`.
 */
export function reconcileTotals(
  read: readonly ControlTotal[],
  parts: readonly (readonly ControlTotal[])[],
): GroupReconciliation[] {
  const groups = new Map<
    string,
    { head: ControlTotal; read: [number, Big, Big]; accounted: [number, Big, Big] }
  >();
  const slot = (t: ControlTotal) => {
    const id = groupId(t);
    let g = groups.get(id);
    if (!g) {
      g = { head: t, read: [0, new Big(0), new Big(0)], accounted: [0, new Big(0), new Big(0)] };
      groups.set(id, g);
    }
    return g;
  };
  const add = (side: [number, Big, Big], t: ControlTotal): [number, Big, Big] => [
    side[0] + t.entries,
    side[1].plus(amount(t.debit)),
    side[2].plus(amount(t.credit)),
  ];
  for (const t of read) {
    const g = slot(t);
    g.read = add(g.read, t);
  }
  for (const list of parts) {
    for (const t of list) {
      const g = slot(t);
      g.accounted = add(g.accounted, t);
    }
  }
  const show = ([entries, debit, credit]: [number, Big, Big]) => ({
    entries,
    debit: debit.toFixed(2),
    credit: credit.toFixed(2),
  });
  return [...groups.values()]
    .map(({ head, read: r, accounted: a }) => ({
      administration: head.administration,
      journal: head.journal,
      year: head.year,
      period: head.period,
      read: show(r),
      accounted: show(a),
      holds: r[0] === a[0] && r[1].eq(a[1]) && r[2].eq(a[2]),
    }))
    .sort((a, b) =>
      [a.administration, a.journal, a.year, a.period]
        .join('|')
        .localeCompare([b.administration, b.journal, b.year, b.period].join('|'), 'en', { numeric: true }),
    );
}
